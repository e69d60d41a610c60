using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.ClusterSimulations.StatefulSets;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.ClusterSimulations.Tests.StatefulSets;

/// <summary>
/// The real kubectl (v1.32) `rollout status` against the simulated StatefulSet controller on LocalCluster. kubectl's
/// StatefulSetStatusViewer (staging/src/k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go) reads
/// observedGeneration, readyReplicas, updatedReplicas against replicas − partition, and currentRevision against
/// updateRevision when there is no rollingUpdate block; it refuses OnDelete.
/// </summary>
public sealed class RolloutStatusTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hm-sts-rollout-").FullName;
    private readonly CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
    private LocalClusterServer _server = null!;
    private Kubernetes _client = null!;
    private WorkloadSimulation _sim = null!;
    private Task _run = Task.CompletedTask;

    private string Kubeconfig => Path.Combine(_dir, "kubeconfig");

    public async ValueTask InitializeAsync()
    {
        _cts.CancelAfter(TimeSpan.FromSeconds(180));
        _server = await LocalClusterServer.StartAsync(new LocalClusterOptions { KubeconfigPath = Kubeconfig }, _cts.Token);
        _client = _server.CreateClient();
        _sim = new WorkloadSimulation(_client, new SimulationClock(), NullLoggerFactory.Instance);
        _run = _sim.RunAsync(_cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _run;
        _sim.Dispose();
        _client.Dispose();
        await _server.DisposeAsync();
        _cts.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // The operator's shape: type RollingUpdate and no rollingUpdate block, which the API server leaves so.
    private static string Set(string strategy) => """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web, namespace: default}
        spec:
          replicas: 3
          serviceName: web-hs
          updateStrategy: STRATEGY
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "nginx:1.27"}]}
          volumeClaimTemplates:
          - metadata: {name: data}
            spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
        """.Replace("STRATEGY", strategy, StringComparison.Ordinal);

    [Fact]
    public async Task Rollout_status_waits_for_a_rolling_update_and_reports_it_complete_with_each_pod_replaced_once()
    {
        await KubectlOkAsync(Set("{type: RollingUpdate}"), "apply", "-f", "-");
        var created = await KubectlOkAsync(null, "rollout", "status", "sts/web", "--timeout=120s");
        var first = await JsonPathAsync("{.status.updateRevision}");
        Assert.Equal($"statefulset rolling update complete 3 pods at revision {first}...", created.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);

        _server.AuditTrail.Clear();
        await KubectlOkAsync(null, "set", "image", "sts/web", "web=nginx:1.28");
        var rolled = await KubectlOkAsync(null, "rollout", "status", "sts/web", "--timeout=120s");
        var second = await JsonPathAsync("{.status.updateRevision}");
        Assert.NotEqual(first, second);
        Assert.Equal($"statefulset rolling update complete 3 pods at revision {second}...", rolled.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal(second, await JsonPathAsync("{.status.currentRevision}"));
        Assert.Equal("3/3/3", await JsonPathAsync("{.status.updatedReplicas}/{.status.currentReplicas}/{.status.readyReplicas}"));
        Assert.Equal("nginx:1.28 nginx:1.28 nginx:1.28", await KubectlOkAsync(null, "get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].image}"));
        var deletions = _server.AuditTrail.Records.Where(r => r.Verb == "delete" && r.Resource == "pods").Select(r => r.Name).ToList();
        Assert.Equal(["web-2", "web-1", "web-0"], deletions); // each pod replaced once, highest ordinal first
    }

    [Fact]
    public async Task Rollout_status_reports_a_partitioned_rollout_complete_once_the_ordinals_above_the_partition_are_updated()
    {
        await KubectlOkAsync(Set("{type: RollingUpdate, rollingUpdate: {partition: 2}}"), "apply", "-f", "-");
        await KubectlOkAsync(null, "rollout", "status", "sts/web", "--timeout=120s");
        await KubectlOkAsync(null, "set", "image", "sts/web", "web=nginx:1.28");
        var rolled = await KubectlOkAsync(null, "rollout", "status", "sts/web", "--timeout=120s");
        Assert.Equal("partitioned roll out complete: 1 new pods have been updated...", rolled.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        Assert.Equal("web-0=nginx:1.27 web-1=nginx:1.27 web-2=nginx:1.28",
            (await KubectlOkAsync(null, "get", "pods", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.containers[0].image} {end}")).Trim());
    }

    [Fact]
    public async Task Rollout_status_refuses_OnDelete_as_kubectl_does_on_a_real_cluster()
    {
        await KubectlOkAsync(Set("{type: OnDelete}"), "apply", "-f", "-");
        var r = await KubectlAsync(null, "rollout", "status", "sts/web", "--timeout=30s");
        Assert.NotEqual(0, r.Code);
        Assert.Contains("rollout status is only available for RollingUpdate strategy type", r.Stderr, StringComparison.Ordinal);
    }

    private async Task<string> JsonPathAsync(string path) => (await KubectlOkAsync(null, "get", "sts", "web", "-o", $"jsonpath={path}")).Trim();

    private async Task<string> KubectlOkAsync(string? stdin, params string[] args)
    {
        var r = await KubectlAsync(stdin, args);
        Assert.True(r.Code == 0, $"kubectl {string.Join(' ', args)} failed ({r.Code}): {r.Stdout}{r.Stderr}");
        return r.Stdout;
    }

    private Task<(int Code, string Stdout, string Stderr)> KubectlAsync(string? stdin, params string[] args) =>
        KubectlProcess.RunAsync(Kubeconfig, _dir, stdin, _cts.Token, args);
}
