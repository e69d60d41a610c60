using System.CommandLine;
using System.Reflection;
using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Cli;

/// <summary>`hipaa-mongo version`: the build and the API it serves.</summary>
internal static class VersionCommand
{
    public static string Version =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "unknown";

    public static Command Create(TextWriter stdout)
    {
        var command = new Command("version", "Print the operator version and API version.");
        command.SetAction(_ =>
        {
            stdout.WriteLine($"hipaa-mongo {Version}");
            stdout.WriteLine($"api {ApiGroup.ApiVersion}");
            return CliApp.Ok;
        });
        return command;
    }
}
