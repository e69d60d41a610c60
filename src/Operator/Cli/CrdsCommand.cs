using System.CommandLine;
using HipaaMongo.Entities.Crds;

namespace HipaaMongo.Operator.Cli;

/// <summary>`hipaa-mongo crds`: the CustomResourceDefinitions generated from the API types.</summary>
internal static class CrdsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("crds", "Print the HipaaMongo and HipaaMongoUser CustomResourceDefinitions as one YAML stream.");
        command.SetAction(_ =>
        {
            stdout.Write(string.Join("---\n", CrdGenerator.All.Select(CrdGenerator.GenerateYaml)));
            return CliApp.Ok;
        });
        return command;
    }
}
