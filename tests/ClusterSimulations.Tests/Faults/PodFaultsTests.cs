using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.ClusterSimulations.Faults;
using HipaaMongo.ClusterSimulations.StatefulSets;
using HipaaMongo.ClusterSimulations.Tests.StatefulSets;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.ClusterSimulations.Tests.Faults;

/// <summary>A kubelet node-pressure eviction, and what the StatefulSet controller does about it.</summary>
public sealed class PodFaultsTests
{
    [Fact]
    public void An_evicted_pod_is_Failed_with_reason_Evicted_and_a_DisruptionTarget_condition()
    {
        using var c = new MiniCluster(MiniCluster.NewSet(1));
        c.Settle();
        var message = PodFaults.EvictionMessage("memory", "100Mi", "48Mi");
        var status = PodFaults.Evicted(c.Pods["rs0-0"], message, c.Now);
        Assert.Equal(("Failed", "Evicted", "The node was low on resource: memory. Threshold quantity: 100Mi, available: 48Mi. "),
            (status.Phase, status.Reason, status.Message));
        var target = status.Conditions.Single(x => x.Type == "DisruptionTarget");
        Assert.Equal(("True", "TerminationByKubelet"), (target.Status, target.Reason));
        Assert.Equal("False", status.Conditions.Single(x => x.Type == "Ready").Status);
        Assert.False(PodState.IsRunningAndReady(new V1Pod { Status = status }));
    }

    [Fact]
    public async Task An_evicted_member_pod_is_deleted_and_made_again_on_the_same_claim()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(120));
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions(), cts.Token);
        using var client = server.CreateClient();
        var clock = new SimulationClock();
        using var sim = new WorkloadSimulation(client, clock, NullLoggerFactory.Instance);
        var run = sim.RunAsync(cts.Token);
        var set = MiniCluster.NewSet(3);
        set.Metadata.NamespaceProperty = "default";
        set.Metadata.Uid = null;
        set.Metadata.Generation = null;
        await client.AppsV1.CreateNamespacedStatefulSetAsync(set, "default", cancellationToken: cts.Token);
        await UntilAsync(async () => (await client.AppsV1.ReadNamespacedStatefulSetAsync("rs0", "default", cancellationToken: cts.Token))
            .Status?.ReadyReplicas == 3, cts.Token);
        var before = await client.CoreV1.ReadNamespacedPodAsync("rs0-1", "default", cancellationToken: cts.Token);
        var claim = await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data-rs0-1", "default", cancellationToken: cts.Token);

        await new PodFaultInjector(client, clock).EvictAsync("default", "rs0-1", cancellationToken: cts.Token);

        await UntilAsync(async () => await Pod(client, "rs0-1", cts.Token) is { } p && p.Metadata.Uid != before.Metadata.Uid
            && PodState.IsRunningAndReady(p), cts.Token);
        var again = await client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data-rs0-1", "default", cancellationToken: cts.Token);
        Assert.Equal(claim.Metadata.Uid, again.Metadata.Uid); // the data volume survives the eviction
        var evicted = (await client.CoreV1.ListNamespacedEventAsync("default", cancellationToken: cts.Token)).Items.Single(e => e.Reason == "Evicted");
        Assert.Equal(("Warning", "kubelet", before.Metadata.Uid), (evicted.Type, evicted.Source.Component, evicted.InvolvedObject.Uid));
        await cts.CancelAsync();
        await run;
    }

    private static async Task<V1Pod?> Pod(Kubernetes client, string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedPodAsync(name, "default", cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
        }
    }
}
