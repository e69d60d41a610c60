using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Cli;

/// <summary>
/// `hipaa-mongo run` started as a user starts it: the built executable, as its own process, with only environment
/// variables telling it where the cluster is. It finds its kubeconfig as kubectl does and meets the three common
/// start-up failures with one line and a documented exit code (docs/install.md), never a stack trace.
/// </summary>
public sealed class RunStartupTests : IAsyncLifetime
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "hm-startup-" + Guid.NewGuid().ToString("N"));
    private LocalClusterServer? server;

    private string Kubeconfig => Path.Combine(dir, "kubeconfig");

    private string EmptyHome => Path.Combine(dir, "home");

    // Every run is bounded inside OperatorRun (45 s to exit, 60 s to start), so the tests need no Timeout.
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(EmptyHome);
        server = await LocalClusterServer.StartAsync(new LocalClusterOptions { KubeconfigPath = Kubeconfig });
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task No_kubeconfig_anywhere_exits_2_naming_every_place_looked()
    {
        var r = await OperatorRun.ExitAsync(Env(kubeconfig: null), Ct);
        AssertOneLineError(r, 2, "no kubeconfig");
        Assert.Contains("KUBECONFIG", r.Stderr);
    }

    [Fact]
    public async Task A_KUBECONFIG_naming_no_existing_file_exits_2()
    {
        var r = await OperatorRun.ExitAsync(Env(Path.Combine(dir, "absent")), Ct);
        AssertOneLineError(r, 2, "KUBECONFIG: no file it names exists");
    }

    [Fact]
    public async Task An_unreachable_api_server_exits_3_naming_it()
    {
        var closed = Path.Combine(dir, "closed.kubeconfig");
        await File.WriteAllTextAsync(closed, (await File.ReadAllTextAsync(Kubeconfig, Ct)).Replace(server!.BaseUrl.ToString().TrimEnd('/'),
            "https://127.0.0.1:1", StringComparison.Ordinal), Ct);
        var r = await OperatorRun.ExitAsync(Env(closed), Ct);
        AssertOneLineError(r, 3, "unreachable");
        Assert.Contains("127.0.0.1:1", r.Stderr);
    }

    [Fact]
    public async Task KUBECONFIG_is_read_and_a_missing_crd_exits_4_with_the_remedy()
    {
        // HOME has no ~/.kube/config, so reaching this cluster at all proves the variable was read; the first
        // listed file does not exist and is skipped, as kubectl skips it.
        var list = Path.Combine(dir, "absent") + Path.PathSeparator + Kubeconfig;
        var r = await OperatorRun.ExitAsync(Env(list), Ct);
        AssertOneLineError(r, 4, "does not serve hipaamongos.hipaa.mongooperator.io/v1alpha1");
        Assert.Contains("hipaa-mongo crds", r.Stderr);
    }

    [Fact]
    public async Task A_certificate_authority_path_is_read_relative_to_the_kubeconfig_as_kubectl_reads_it()
    {
        // The CA as a file beside the kubeconfig, named by a relative path: the process's working directory is elsewhere,
        // so only a path resolved against the kubeconfig's directory reaches the cluster over TLS (exit 4: no CRD yet).
        var beside = Path.Combine(dir, "beside");
        Directory.CreateDirectory(beside);
        var text = await File.ReadAllTextAsync(Kubeconfig, Ct);
        var data = System.Text.RegularExpressions.Regex.Match(text, "certificate-authority-data: (\\S+)").Groups[1].Value;
        await File.WriteAllBytesAsync(Path.Combine(beside, "ca.crt"), Convert.FromBase64String(data), Ct);
        var relative = Path.Combine(beside, "kubeconfig");
        await File.WriteAllTextAsync(relative, text.Replace("certificate-authority-data: " + data, "certificate-authority: ca.crt",
            StringComparison.Ordinal), Ct);
        Assert.DoesNotContain("certificate-authority-data", await File.ReadAllTextAsync(relative, Ct));
        var r = await OperatorRun.ExitAsync(Env(relative), Ct);
        AssertOneLineError(r, 4, "does not serve hipaamongos.hipaa.mongooperator.io/v1alpha1");
    }

    [Fact]
    public async Task Missing_cert_manager_exits_4_with_the_version_it_needs()
    {
        await InstallAsync(withCertManager: false);
        var r = await OperatorRun.ExitAsync(Env(Kubeconfig), Ct, "--namespace", "clinical");
        AssertOneLineError(r, 4, "does not serve certificates.cert-manager.io/v1");
        Assert.Contains("cert-manager 1.15 or later", r.Stderr);
    }

    [Fact]
    public async Task With_KUBECONFIG_and_every_crd_the_operator_starts_and_stops_cleanly_on_sigterm()
    {
        await InstallAsync(withCertManager: true);
        var r = await OperatorRun.UntilLogThenTermAsync(Env(Kubeconfig), "Caches synced", Ct);
        Assert.True(r.Code == 0, $"exit {r.Code}: {r.Stderr}");
        Assert.Contains("Caches synced", r.Stdout);
    }

    [Fact]
    public async Task A_probe_port_in_use_exits_with_one_line_naming_it_and_nothing_after()
    {
        await InstallAsync(withCertManager: true);
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var r = await OperatorRun.ExitAsync(Env(Kubeconfig), Ct, "--probe-address", $"http://127.0.0.1:{port}");
        // The host's own structured log keeps the bind exception (JSON, for the log pipeline); the operator says it in
        // one line on stderr, and nothing fails after it (the sync loop once read a disposed service provider).
        Assert.True(r.Code == 2, $"exit {r.Code}: {r.Stderr}");
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: cannot listen", line);
        Assert.Contains($"127.0.0.1:{port}", line);
        Assert.DoesNotContain("ObjectDisposedException", r.Stderr + r.Stdout);
    }

    private static void AssertOneLineError(OperatorRun.Result r, int code, string says)
    {
        Assert.True(r.Code == code, $"expected exit {code}, got {r.Code}: {r.Stderr}{r.Stdout}");
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line);
        Assert.Contains(says, line);
        Assert.DoesNotContain("   at ", r.Stderr + r.Stdout);
        Assert.DoesNotContain("Exception", r.Stderr + r.Stdout);
    }

    // The process's whole environment for the cluster: KUBECONFIG (or none), a HOME without ~/.kube, and no
    // in-cluster variables, whatever the machine running the tests has.
    private Dictionary<string, string?> Env(string? kubeconfig) => new()
    {
        ["KUBECONFIG"] = kubeconfig,
        ["HOME"] = EmptyHome,
        ["KUBERNETES_SERVICE_HOST"] = null,
        ["KUBERNETES_SERVICE_PORT"] = null,
    };

    private async Task InstallAsync(bool withCertManager)
    {
        using var client = server!.CreateClient();
        await ReportCluster.InstallCrdAsync(client, Ct);
        if (withCertManager)
        {
            foreach (var crd in KubernetesYaml.LoadAllFromString(CertManagerCrds.Yaml).Cast<V1CustomResourceDefinition>())
            {
                await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: Ct);
            }
        }
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "clinical" } }, cancellationToken: Ct);
    }
}
