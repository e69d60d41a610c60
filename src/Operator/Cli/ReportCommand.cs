using System.CommandLine;
using System.Text.RegularExpressions;
using HipaaMongo.Operator.Reporting;
using k8s;

namespace HipaaMongo.Operator.Cli;

/// <summary>What `hipaa-mongo report` was asked for.</summary>
internal sealed record ReportRequest(string Name, string? Namespace, string Format, string? Output, string? Kubeconfig, string? Context);

/// <summary>
/// `hipaa-mongo report NAME -n NS --format json|markdown|html [-o FILE]`: the evidence an auditor keeps, from
/// the record the operator stored (ConfigMap NAME-compliance-evidence) and the resource's Events. It reads
/// only; exit codes are in docs/report.md.
/// </summary>
internal static partial class ReportCommand
{
    public const string DefaultFormat = "markdown";

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var name = new Argument<string>("NAME") { Description = "The HipaaMongo resource." };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Its namespace (default: the kubeconfig context's, else 'default')." };
        var format = new Option<string>("--format")
        {
            Description = $"Report format: {EvidenceReportWriter.FormatNames}.",
            DefaultValueFactory = _ => DefaultFormat,
        };
        var output = new Option<string?>("--output", "-o") { Description = "Write the report to this file instead of standard output." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, ~/.kube/config, else in-cluster)." };
        var context = new Option<string?>("--context") { Description = "Kubeconfig context to use (default: its current context)." };
        var command = new Command("report", "Write the compliance evidence report of a HipaaMongo (what an auditor keeps).")
        {
            name, ns, format, output, kubeconfig, context,
        };
        command.SetAction((parse, ct) => ExecuteAsync(
            new ReportRequest(parse.GetValue(name)!, parse.GetValue(ns), parse.GetValue(format)!, parse.GetValue(output),
                parse.GetValue(kubeconfig), parse.GetValue(context)),
            TimeProvider.System, stdout, stderr, ct));
        return command;
    }

    public static async Task<int> ExecuteAsync(ReportRequest request, TimeProvider clock, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        ReportFormat format;
        try
        {
            format = EvidenceReportWriter.ParseFormat(request.Format);
        }
        catch (ArgumentException)
        {
            return await FailAsync(stderr, $"--format: unknown report format '{request.Format}'; use one of: {EvidenceReportWriter.FormatNames}", CliApp.BadInput);
        }

        var (config, code) = Connect(request, stderr);
        if (config is null)
        {
            return code;
        }

        var @namespace = request.Namespace ?? config.Namespace ?? "default";
        if (!NamePattern().IsMatch(request.Name) || request.Name.Length > 253 || !NamespacePattern().IsMatch(@namespace) || @namespace.Length > 63)
        {
            return await FailAsync(stderr, $"'{Printable(@namespace)}/{Printable(request.Name)}' is not a valid namespace/name", CliApp.BadInput);
        }

        using var client = new Kubernetes(config);
        var read = await EvidenceSource.ReadAsync(client, @namespace, request.Name, ct);
        if (read.Error is { } error)
        {
            return await FailAsync(stderr, error, read.ExitCode);
        }

        var report = read.Record!.ToReport(@namespace, request.Name, clock.GetUtcNow(), VersionCommand.Version, read.Events) with { Access = read.Access };
        return await WriteAsync(EvidenceReportWriter.Write(format, report), request.Output, stdout, stderr, ct);
    }

    private static (KubernetesClientConfiguration? Config, int Code) Connect(ReportRequest request, TextWriter stderr)
    {
        if (request.Kubeconfig is { } path && !File.Exists(path))
        {
            stderr.WriteLine($"error: --kubeconfig: file '{path}' does not exist");
            return (null, CliApp.BadInput);
        }

        try
        {
            var config = request.Kubeconfig is null && request.Context is null
                ? KubernetesClientConfiguration.BuildDefaultConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile(request.Kubeconfig, request.Context);
            config.HttpClientTimeout = TimeSpan.FromSeconds(30);
            return (config, CliApp.Ok);
        }
        catch (k8s.Exceptions.KubeConfigException ex)
        {
            // The client's kubeconfig messages name the file, context or field, not credentials.
            stderr.WriteLine("error: kubeconfig: " + ex.Message);
            return (null, CliApp.BadInput);
        }
    }

    private static async Task<int> WriteAsync(string text, string? output, TextWriter stdout, TextWriter stderr, CancellationToken ct)
    {
        if (output is null)
        {
            await stdout.WriteAsync(text);
            return CliApp.Ok;
        }

        try
        {
            await File.WriteAllTextAsync(output, text, ct);
            return CliApp.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var why = ex switch
            {
                DirectoryNotFoundException => "no such directory",
                UnauthorizedAccessException => "permission denied",
                _ => ex.GetType().Name,
            };
            return await FailAsync(stderr, $"--output: cannot write '{output}': {why}", CliApp.BadInput);
        }
    }

    private static async Task<int> FailAsync(TextWriter stderr, string message, int code)
    {
        await stderr.WriteLineAsync("error: " + message);
        return code;
    }

    // Names go into a field selector and error lines: only Kubernetes name characters are accepted.
    private static string Printable(string text) => text.Length <= 80 && !text.Any(char.IsControl) ? text : "(invalid)";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex NamespacePattern();
}
