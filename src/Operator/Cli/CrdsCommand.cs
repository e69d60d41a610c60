using System.CommandLine;
using HipaaMongo.Entities.Crds;

namespace HipaaMongo.Operator.Cli;

/// <summary>`hipaa-mongo crds`: the CustomResourceDefinition generated from the API types.</summary>
internal static class CrdsCommand
{
    public static Command Create(TextWriter stdout)
    {
        var command = new Command("crds", "Print the HipaaMongo CustomResourceDefinition YAML.");
        command.SetAction(_ =>
        {
            stdout.Write(CrdGenerator.GenerateYaml());
            return CliApp.Ok;
        });
        return command;
    }
}
