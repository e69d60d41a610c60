using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Members;
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
public sealed partial class RestartEquivalenceTests
{
    private static readonly string Operator = $"system:serviceaccount:{OperatorHarness.OperatorNamespace}:{OperatorHarness.OperatorAccount}";

    [Fact(Timeout = 180_000)]
    public async Task Restarting_between_steps_changes_no_event_and_no_write()
    {
        var ct = TestContext.Current.CancellationToken;
        var uninterrupted = await RunAsync(restartBetweenSteps: false, withMembers: false, ct);
        var restarted = await RunAsync(restartBetweenSteps: true, withMembers: false, ct);

        Assert.Contains(uninterrupted.Events, e => e.StartsWith("NetworkPolicyMissing x1 reverted: NetworkPolicy clinical/phi-db-members", StringComparison.Ordinal));
        AssertSame(uninterrupted.Events, restarted.Events, "Events");
        AssertSame(uninterrupted.Writes, restarted.Writes, "writes");
    }

    // Both lists whole on a failure: which run has what the other lacks is what tells a race from a regression.
    private static void AssertSame(IReadOnlyList<string> uninterrupted, IReadOnlyList<string> restarted, string what) =>
        Assert.True(uninterrupted.SequenceEqual(restarted),
            $"{what} differ.\nonly uninterrupted:\n  {string.Join("\n  ", uninterrupted.Except(restarted))}\nonly restarted:\n  {string.Join("\n  ", restarted.Except(uninterrupted))}\nall uninterrupted:\n  {string.Join("\n  ", uninterrupted)}");

    /// <summary>
    /// The same with members (verified through the scripted verifier): create (bootstrap, first verification), drift,
    /// drift with a spec change, runtime drift on a member (a mongod parameter, corrected and proven), and a member
    /// still serving the certificate from before its renewal (rotated). The restarted run reads the verification
    /// schedule, the members' last results, the bootstrap and the announced outcomes from the cluster, so it makes
    /// the same Events and writes, verifies no more often and bootstraps once.
    /// </summary>
    [Fact(Timeout = 300_000)]
    public async Task Restarting_between_steps_with_members_changes_no_event_and_no_write()
    {
        var ct = TestContext.Current.CancellationToken;
        var uninterrupted = await RunAsync(restartBetweenSteps: false, withMembers: true, ct);
        var restarted = await RunAsync(restartBetweenSteps: true, withMembers: true, ct);

        Assert.Contains(uninterrupted.Events, e => e.StartsWith("RuntimeSettingReverted x1 reverted: redactClientLogData was false", StringComparison.Ordinal));
        Assert.Contains(uninterrupted.Events, e => e.StartsWith("CertificateRotated x1 rotated certificates on phi-db-0", StringComparison.Ordinal));
        Assert.Contains(uninterrupted.Events, e => e.StartsWith("ReplicaSetBootstrapped x1", StringComparison.Ordinal));
        AssertSame(uninterrupted.Events, restarted.Events, "Events");
        AssertSame(uninterrupted.Writes, restarted.Writes, "writes");
        Assert.Equal(uninterrupted.Verifications, restarted.Verifications);
    }

    private static readonly TimeSpan ProveDelay = TimeSpan.FromSeconds(8);

    private sealed record Run(IReadOnlyList<string> Events, IReadOnlyList<string> Writes, int Verifications = 0);

    private static async Task<Run> RunAsync(bool restartBetweenSteps, bool withMembers, CancellationToken ct)
    {
        var members = withMembers ? new FakeMemberVerifier(TimeProvider.System) : null;
        // With members the operator runs as the admin (the members need their Secrets, which the manager role does not
        // grant), so its writes are told from the simulations' by what only the simulations write.
        // A corrected member is proven again only after ProveDelay: long enough that the settled pass which follows the
        // correcting one always sees the correction unproven (a Fail it announces), in both runs, however loaded the machine.
        await using var h = await OperatorHarness.StartAsync(ct, rbac: !withMembers, members: members, proveCorrectionDelay: ProveDelay);
        List<Func<OperatorHarness, Task>> steps =
        [
            h => h.CreateAsync(OperatorHarness.Sample(), ct),
            h => DeletePolicyAsync(h, "default-deny", ct),
            async h =>
            {
                await DeletePolicyAsync(h, "members", ct);
                await PatchIntervalAsync(h, 30, ct);
            },
        ];
        if (members is not null)
        {
            // Each member change is found by the verification a spec change makes due (a new generation).
            steps.Add(h =>
            {
                members.ScriptOnce("phi-db-1", v => v with
                {
                    Parameters = v.Parameters! with { RedactClientLogData = false },
                    Corrections = [new RuntimeCorrection("redactClientLogData", "false", "true", true, null)],
                });
                return PatchIntervalAsync(h, 40, ct);
            });
            steps.Add(h =>
            {
                members.ScriptOnce("phi-db-0", v => v with { TlsExpiry = v.TlsExpiry - TimeSpan.FromDays(30) });
                return PatchIntervalAsync(h, 50, ct);
            });
        }
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
            await WaitSettledAsync(h, withMembers, ct);
        }
        var events = (await h.EventsAsync(ct))
            .GroupBy(e => $"{e.Reason} {Times().Replace(e.Message, "<time>")}")
            .Select(g => $"{g.Key.Split(' ')[0]} x{g.Sum(e => e.Count ?? 1)} {g.Key[(g.Key.IndexOf(' ', StringComparison.Ordinal) + 1)..]}")
            .Order(StringComparer.Ordinal).ToList();
        var writes = h.Server.AuditTrail.Writes
            .Where(w => (withMembers || w.User == Operator) && w.Resource is not "events" and not "leases" && w.Code < 300)
            .Where(w => !withMembers || (w.Resource is not "pods" and not "secrets" and not "certificaterequests"
                && (w.Subresource is null or "" || w.Resource == ApiGroup.Plural)))
            .Select(w => $"{w.Verb} {w.Resource} {w.Name} {w.Subresource}")
            .Distinct().Order(StringComparer.Ordinal).ToList();
        return new Run(events, writes, members?.Verifications ?? 0);
    }

    // A certificate's expiry differs between two clusters (each issues its own); the Events are compared without it.
    [System.Text.RegularExpressions.GeneratedRegex(@"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z")]
    private static partial System.Text.RegularExpressions.Regex Times();

    // Converged: the current generation observed, both policies present and NetworkIsolated True; then one more
    // pass through the queue, so the passes our own writes' watch events started have run too.
    // With members, also: compliant, and every member verified healthy with no drift left to prove corrected.
    private static async Task WaitSettledAsync(OperatorHarness h, bool withMembers, CancellationToken ct)
    {
        await OperatorHarness.EventuallyAsync(async () =>
        {
            var resource = await h.GetResourceAsync(ct);
            var policies = (await h.Client.NetworkingV1.ListNamespacedNetworkPolicyAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items;
            var observed = resource["status"]?["observedGeneration"]?.GetValue<long>() == resource["metadata"]!["generation"]!.GetValue<long>();
            var isolated = (resource["status"]?["conditions"] as JsonArray)?.Any(c =>
                c?["type"]?.GetValue<string>() == ConditionTypes.NetworkIsolated && c["status"]?.GetValue<string>() == "True") == true;
            var members = resource["status"]?["members"] as JsonArray;
            var proven = !withMembers || (resource["status"]?["compliance"]?["compliant"]?.GetValue<string>() == "True"
                && members?.Count == 3 && members.All(m => m?["health"]?.GetValue<string>() == "Healthy" && m["drift"] is null));
            return observed && isolated && proven && policies.Any(p => p.Metadata.Name.EndsWith("-default-deny", StringComparison.Ordinal))
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
