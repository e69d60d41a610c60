using System.CommandLine;
using HipaaMongo.Operator.Hosting;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HipaaMongo.Operator.Cli;

/// <summary>`hipaa-mongo run`: the operator, hosted with Microsoft.Extensions.Hosting until SIGTERM/Ctrl-C.</summary>
internal static class RunCommand
{
    public static Command Create(TextWriter stderr)
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig file (default: $KUBECONFIG, else ~/.kube/config, else the pod's service account)." };
        var namespaces = new Option<string[]>("--namespace", "-n")
        {
            Description = "A namespace to watch (repeat for several); default: all namespaces.",
            AllowMultipleArgumentsPerToken = true,
        };
        var leaderElect = new Option<bool>("--leader-elect") { Description = "Act only while holding the Lease (run several replicas)." };
        var leaseNamespace = new Option<string>("--leader-election-namespace")
        {
            Description = "Namespace of the leader-election Lease.",
            DefaultValueFactory = _ => "hipaa-mongo-system",
        };
        var metrics = new Option<string>("--metrics-address")
        {
            Description = "HTTPS URL for /metrics (callers authenticated by TokenReview, authorized by SubjectAccessReview for get /metrics); empty disables.",
            DefaultValueFactory = _ => "https://0.0.0.0:8443",
        };
        var metricsCertDir = new Option<string>("--metrics-cert-dir")
        {
            Description = "Directory with tls.crt and tls.key for /metrics (re-read when renewed); default: a self-signed certificate made in memory.",
            DefaultValueFactory = _ => "",
        };
        var probes = new Option<string>("--probe-address") { Description = "URL for /healthz and /readyz; empty disables.", DefaultValueFactory = _ => "http://0.0.0.0:8081" };
        var operatorNamespace = new Option<string>("--operator-namespace")
        {
            Description = "Namespace of the operator pods (admitted to port 27017 by the rendered NetworkPolicy).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "hipaa-mongo-system",
        };
        var kmipAddresses = new Option<string[]>("--kmip-address")
        {
            Description = "NAME=IP:PORT: where the KMIP probe reaches a KMIP server name DNS does not resolve here (local runs; repeat for several).",
        };
        var ldapAddresses = new Option<string[]>("--ldap-address")
        {
            Description = "NAME=IP:PORT: where the LDAPS probe reaches a directory server name DNS does not resolve here (local runs; repeat for several).",
        };
        var command = new Command("run", "Run the operator: watch HipaaMongos and keep every owned object hardened.")
        {
            kubeconfig, namespaces, leaderElect, leaseNamespace, metrics, metricsCertDir, probes, operatorNamespace, kmipAddresses, ldapAddresses,
        };
        var dns = new DnsOptions();
        dns.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var (target, error) = dns.Read(parse);
            if (target is null)
            {
                await stderr.WriteLineAsync("error: " + error);
                return CliApp.BadInput;
            }
            var (kmipResolver, kmipError) = KmipAddresses.Parse(parse.GetValue(kmipAddresses));
            if (kmipError is not null)
            {
                await stderr.WriteLineAsync("error: " + kmipError);
                return CliApp.BadInput;
            }
            var (ldapResolver, ldapError) = KmipAddresses.Parse(parse.GetValue(ldapAddresses), "--ldap-address");
            if (ldapError is not null)
            {
                await stderr.WriteLineAsync("error: " + ldapError);
                return CliApp.BadInput;
            }
            return await ExecuteAsync(new OperatorOptions
            {
                Kubeconfig = parse.GetValue(kubeconfig),
                Namespaces = parse.GetValue(namespaces) ?? [],
                LeaderElect = parse.GetValue(leaderElect),
                LeaderElectionNamespace = parse.GetValue(leaseNamespace)!,
                MetricsAddress = parse.GetValue(metrics)!,
                MetricsCertDir = parse.GetValue(metricsCertDir)!,
                ProbeAddress = parse.GetValue(probes)!,
                OperatorNamespace = parse.GetValue(operatorNamespace)!,
                Dns = target,
                KmipResolver = kmipResolver,
                LdapResolver = ldapResolver is null ? null : (host, port) => ldapResolver(host, port),
            }, stderr, ct);
        });
        return command;
    }

    public static async Task<int> ExecuteAsync(OperatorOptions options, TextWriter stderr, CancellationToken ct)
    {
        try
        {
            OperatorServices.Validate(options); // before the host exists, so a bad option is one line, not a host failure log
        }
        catch (ArgumentException ex)
        {
            // The runtime's option checks name the setting; they never include secrets.
            await stderr.WriteLineAsync("error: " + ex.Message);
            return CliApp.BadInput;
        }
        var source = KubeconfigSource.Resolve(options.Kubeconfig, Environment.GetEnvironmentVariable("KUBECONFIG"),
            Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), KubernetesClientConfiguration.IsInCluster());
        if (source.Config is null)
        {
            await stderr.WriteLineAsync("error: " + source.Error);
            return CliApp.BadInput;
        }
        using var client = new Kubernetes(source.Config);
        if (await StartupCheck.RunAsync(client, options.Namespaces, StartupTimeout, ct) is { } failure)
        {
            await stderr.WriteLineAsync("error: " + failure.Message);
            return failure.ExitCode;
        }
        return await HostAsync(options, client, stderr, ct);
    }

    /// <summary>The host setting that turns off watching configuration files for changes (the operator reads none).</summary>
    internal const string NoConfigReload = "--hostBuilder:reloadConfigOnChange=false";

    // How long the start-up check waits for the API server before calling it unreachable.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(15);

    private static async Task<int> HostAsync(OperatorOptions options, Kubernetes client, TextWriter stderr, CancellationToken ct)
    {
        try
        {
            // No config reload: with an appsettings.json present, the default watches the whole working directory tree.
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [NoConfigReload] });
            // The client the start-up check used: its connection to the API server is already open.
            builder.Services.AddSingleton<IKubernetes>(client);
            builder.Services.AddHipaaMongoOperator(options);
            using var host = builder.Build();
            await host.RunAsync(ct);
            return CliApp.Ok;
        }
        catch (OptionsValidationException ex)
        {
            await stderr.WriteLineAsync("error: " + string.Join("; ", ex.Failures));
            return CliApp.BadInput;
        }
        catch (IOException ex)
        {
            // Kestrel could not bind the probe or metrics address (in use, not permitted).
            await stderr.WriteLineAsync("error: cannot listen: " + ex.Message.ReplaceLineEndings(" "));
            return CliApp.BadInput;
        }
    }
}
