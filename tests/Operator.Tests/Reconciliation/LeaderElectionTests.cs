using k8s;
using k8s.Models;
using Microsoft.Extensions.Hosting;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// Two operator replicas with leader election on one cluster (as the Deployment would run them): only the Lease
/// holder writes, and when it stops the other takes over and corrects drift. Each replica runs as its own service
/// account, so LocalCluster's audit trail says who wrote what.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class LeaderElectionTests
{
    private const string A = "operator-a";
    private const string B = "operator-b";

    [Fact]
    public async Task Two_replicas_never_both_act_and_the_standby_takes_over()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct, startOperator: false);
        await h.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = OperatorHarness.OperatorNamespace } },
            cancellationToken: ct);
        var replicas = new Dictionary<string, IHost> { [A] = await h.StartReplicaAsync(A, ct), [B] = await h.StartReplicaAsync(B, ct) };
        try
        {
            await h.CreateAsync(OperatorHarness.Sample(), ct);
            var policy = $"{OperatorHarness.Name}-default-deny";
            await UntilAsync(() => PolicyExistsAsync(h, policy, ct), "the default-deny policy", ct);

            var writers = Writers(h);
            var leader = Assert.Single(writers);
            var standby = leader == A ? B : A;

            // The leader goes away; the standby acquires the Lease and reverts a deletion made meanwhile.
            await StopAsync(replicas[leader]);
            replicas.Remove(leader);
            await h.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(policy, OperatorHarness.Namespace, cancellationToken: ct);
            await UntilAsync(() => PolicyExistsAsync(h, policy, ct), "the standby re-creating the policy", ct);
            Assert.Contains(standby, Writers(h));
            var lease = await h.Client.CoordinationV1.ReadNamespacedLeaseAsync("hipaa-mongo-operator", OperatorHarness.OperatorNamespace,
                cancellationToken: ct);
            Assert.NotNull(lease.Spec.HolderIdentity);
        }
        finally
        {
            foreach (var host in replicas.Values)
            {
                await StopAsync(host);
            }
        }
    }

    // Service accounts that wrote a NetworkPolicy (create, update, patch, delete).
    private static HashSet<string> Writers(OperatorHarness h) =>
        [.. h.Server.AuditTrail.Writes.Where(r => r.Resource == "networkpolicies")
            .Select(r => r.User).Where(u => u.EndsWith(":" + A, StringComparison.Ordinal) || u.EndsWith(":" + B, StringComparison.Ordinal))
            .Select(u => u[(u.LastIndexOf(':') + 1)..])];

    private static async Task<bool> PolicyExistsAsync(OperatorHarness h, string name, CancellationToken ct)
    {
        var list = await h.Client.NetworkingV1.ListNamespacedNetworkPolicyAsync(OperatorHarness.Namespace, cancellationToken: ct);
        return list.Items.Any(p => p.Metadata.Name == name);
    }

    private static async Task StopAsync(IHost host)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await host.StopAsync(stop.Token);
        host.Dispose();
    }

    private static async Task UntilAsync(Func<Task<bool>> check, string what, CancellationToken ct)
    {
        // Lease takeover waits out the lease duration (15 s) when the leader did not release it.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await check())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
            await Task.Delay(100, ct);
        }
    }
}
