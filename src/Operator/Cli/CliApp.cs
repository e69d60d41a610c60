using System.CommandLine;

namespace HipaaMongo.Operator.Cli;

/// <summary>
/// The `hipaa-mongo` command line. Commands write to the given writers and return an exit code,
/// so tests run them in-process. Exit codes: 0 success, 1 invalid spec (render) or resource/evidence not found
/// (report), 2 unusable input (an invalid option, no usable kubeconfig), 3 the Kubernetes API failed (forbidden,
/// unauthorized, unreachable), 4 the cluster lacks a prerequisite (`run`: the HipaaMongo CRD or cert-manager is not
/// served). docs/install.md lists them for users.
/// </summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int InvalidSpec = 1;
    public const int BadInput = 2;
    public const int NotFound = 1;
    public const int ClusterError = 3;
    public const int MissingPrerequisite = 4;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("hipaa-mongo: a Kubernetes operator for HIPAA-hardened MongoDB replica sets.");
        root.Subcommands.Add(RenderCommand.Create(stdout, stderr));
        root.Subcommands.Add(CrdsCommand.Create(stdout));
        root.Subcommands.Add(VersionCommand.Create(stdout));
        root.Subcommands.Add(RunCommand.Create(stderr));
        root.Subcommands.Add(ReportCommand.Create(stdout, stderr));
        var parsed = root.Parse(args);
        var config = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        try
        {
            return parsed.Invoke(config);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Last line of defence: one plain line, never a stack trace (which could echo input).
            stderr.WriteLine($"error: {ex.GetType().Name}: unexpected failure");
            return BadInput;
        }
    }
}
