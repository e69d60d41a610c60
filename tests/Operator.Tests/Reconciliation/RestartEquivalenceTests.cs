using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// Level-based: an operator stopped while the cluster changes behaves as one that never stopped. One scenario
/// (create, out-of-band drift, drift made together with a spec change) runs twice on fresh clusters: once with the
/// operator running throughout, once with the operator stopped before every step and started again after it. The
/// Events and the operator's writes (audit trail, by its service account) of the two runs must be the same.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class RestartEquivalenceTests
{
    private static readonly string Operator = $"system:serviceaccount:{OperatorHarness.OperatorNamespace}:{OperatorHarness.OperatorAccount}";

    [Fact(Timeout = 180_000)]
    public async Task Restarting_between_steps_changes_no_event_and_no_write()
    {
        var ct = TestContext.Current.CancellationToken;
        var uninterrupted = await RunAsync(restartBetweenSteps: false, ct);
        var restarted = await RunAsync(restartBetweenSteps: true, ct);

        Assert.Contains(uninterrupted.Events, e => e.StartsWith("NetworkPolicyMissing x1 reverted: NetworkPolicy clinical/phi-db-members", StringComparison.Ordinal));
        Assert.Equal(uninterrupted.Events, restarted.Events);
        Assert.Equal(uninterrupted.Writes, restarted.Writes);
    }

    private sealed record Run(IReadOnlyList<string> Events, IReadOnlyList<string> Writes);

    private static async Task<Run> RunAsync(bool restartBetweenSteps, CancellationToken ct)
    {
        await using var h = await OperatorHarness.StartAsync(ct, rbac: true);
        Func<OperatorHarness, Task>[] steps =
        [
            h => h.CreateAsync(OperatorHarness.Sample(), ct),
            h => DeletePolicyAsync(h, "default-deny", ct),
            async h =>
            {
                await DeletePolicyAsync(h, "members", ct);
                await PatchIntervalAsync(h, 30, ct);
            },
        ];
        foreach (var step in steps)
        {
            if (restartBetweenSteps)
            {
                await h.StopRunningOperatorAsync();
            }
            await step(h);
            if (restartBetweenSteps)
            {
                await h.StartStoppedOperatorAsync(ct);
            }
            await WaitSettledAsync(h, ct);
        }
        var events = (await h.EventsAsync(ct))
            .GroupBy(e => $"{e.Reason} {e.Message}")
            .Select(g => $"{g.Key.Split(' ')[0]} x{g.Sum(e => e.Count ?? 1)} {g.Key[(g.Key.IndexOf(' ', StringComparison.Ordinal) + 1)..]}")
            .Order(StringComparer.Ordinal).ToList();
        var writes = h.Server.AuditTrail.Writes
            .Where(w => w.User == Operator && w.Resource is not "events" and not "leases" && w.Code < 300)
            .Select(w => $"{w.Verb} {w.Resource} {w.Name} {w.Subresource}")
            .Distinct().Order(StringComparer.Ordinal).ToList();
        return new Run(events, writes);
    }

    // Converged: the current generation observed, both policies present and NetworkIsolated True; then one more
    // pass through the queue, so the passes our own writes' watch events started have run too.
    private static async Task WaitSettledAsync(OperatorHarness h, CancellationToken ct)
    {
        await OperatorHarness.EventuallyAsync(async () =>
        {
            var resource = await h.GetResourceAsync(ct);
            var policies = (await h.Client.NetworkingV1.ListNamespacedNetworkPolicyAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items;
            var observed = resource["status"]?["observedGeneration"]?.GetValue<long>() == resource["metadata"]!["generation"]!.GetValue<long>();
            var isolated = (resource["status"]?["conditions"] as JsonArray)?.Any(c =>
                c?["type"]?.GetValue<string>() == ConditionTypes.NetworkIsolated && c["status"]?.GetValue<string>() == "True") == true;
            return observed && isolated && policies.Any(p => p.Metadata.Name.EndsWith("-default-deny", StringComparison.Ordinal))
                && policies.Any(p => p.Metadata.Name.EndsWith("-members", StringComparison.Ordinal));
        }, settled => settled, "settled", ct);
        await h.PassAsync(ct);
    }

    private static async Task DeletePolicyAsync(OperatorHarness h, string suffix, CancellationToken ct) =>
        await h.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync($"{OperatorHarness.Name}-{suffix}", OperatorHarness.Namespace, cancellationToken: ct);

    private static async Task PatchIntervalAsync(OperatorHarness h, int seconds, CancellationToken ct)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["verification"] = new JsonObject { ["intervalSeconds"] = seconds } } };
        await h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace, ApiGroup.Plural, OperatorHarness.Name, cancellationToken: ct);
    }
}
