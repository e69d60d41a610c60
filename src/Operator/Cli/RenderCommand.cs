using System.CommandLine;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Cli;

/// <summary>`hipaa-mongo render -f FILE`: every desired object as a YAML stream, like `helm template`.</summary>
internal static class RenderCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var file = new Option<string>("--file", "-f")
        {
            Description = "A HipaaMongo manifest (YAML or JSON); '-' reads standard input.",
            Required = true,
        };
        var operatorNamespace = new Option<string>("--operator-namespace")
        {
            Description = "Namespace of the operator pods admitted by the NetworkPolicy.",
            DefaultValueFactory = _ => RenderOptions.Default.OperatorNamespace,
        };
        var clusterDomain = new Option<string>("--cluster-domain")
        {
            Description = "Cluster DNS domain used in member certificate names.",
            DefaultValueFactory = _ => RenderOptions.Default.ClusterDomain,
        };
        var command = new Command("render", "Print every object the baseline renders for a HipaaMongo, as a multi-document YAML stream.")
        {
            file,
            operatorNamespace,
            clusterDomain,
        };
        var dns = new DnsOptions();
        dns.AddTo(command);
        command.SetAction(parse =>
        {
            var (target, error) = dns.Read(parse);
            if (target is null)
            {
                stderr.WriteLine("error: " + error);
                return CliApp.BadInput;
            }
            return Execute(parse.GetValue(file)!, RenderOptions.Default with
            {
                OperatorNamespace = parse.GetValue(operatorNamespace)!,
                ClusterDomain = parse.GetValue(clusterDomain)!,
                Dns = target,
            }, stdout, stderr);
        });
        return command;
    }

    public static int Execute(string path, RenderOptions options, TextWriter stdout, TextWriter stderr)
    {
        var loaded = SpecLoader.Load(path, () => Console.In);
        if (loaded.Resource is null)
        {
            WriteProblems(path, loaded.Problems, stderr);
            return loaded.ExitCode;
        }

        stdout.Write(YamlStream.Write(DesiredStateRenderer.Render(loaded.Resource, options)));
        return CliApp.Ok;
    }

    /// <summary>One line per problem, "field.path: message", as kubectl prints admission errors.</summary>
    private static void WriteProblems(string path, IReadOnlyList<ValidationError> problems, TextWriter stderr)
    {
        if (problems is [{ FieldPath: null or "" } only])
        {
            stderr.WriteLine($"error: {path}: {only.Message}");
            return;
        }

        stderr.WriteLine($"error: {path}: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}:");
        foreach (var problem in problems)
        {
            stderr.WriteLine(string.IsNullOrEmpty(problem.FieldPath) ? $"  {problem.Message}" : $"  {problem.FieldPath}: {problem.Message}");
        }
    }
}
