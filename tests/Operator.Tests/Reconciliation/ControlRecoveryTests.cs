using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reconciliation.Evidence;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Reporting;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// A member that goes away makes its controls unproven (a Warning each); when it is proven again each of those
/// controls is announced as passed, whether or not the operator restarted in between: what was announced is read
/// from the cluster (the pass record beside the evidence record), not remembered.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class ControlRecoveryTests
{
    [Theory(Timeout = 120_000)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Controls_unproven_by_a_member_restart_are_announced_as_passed_when_proven_again(bool restartOperator)
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await PartialReadinessTests.WaitAsync(h, r => r.Status?.Compliance?.Compliant == ComplianceState.True, "compliant", ct);

        await PartialReadinessTests.SetReadyAsync(h, "phi-db-2", false, ct);
        // Every control the pass record remembers as unproven has had its Warning (the Events follow the record's write).
        await OperatorHarness.EventuallyAsync(async () => (Controls(await h.EventsAsync(ct), EventReasons.ControlUnproven), await UnprovenAsync(h, ct)),
            x => x.Item2.Contains("HIPAA-164.312(b)") && x.Item1.SetEquals(x.Item2), "a ControlUnproven Event for every unproven control", ct);
        if (restartOperator)
        {
            await h.RestartOperatorAsync(ct);
        }

        await PartialReadinessTests.SetReadyAsync(h, "phi-db-2", true, ct);
        await PartialReadinessTests.WaitAsync(h, r => r.Status?.Compliance?.Compliant == ComplianceState.True, "compliant again", ct);
        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => Controls(es, EventReasons.ControlPassed).SetEquals(Controls(es, EventReasons.ControlUnproven)),
            "a ControlPassed Event for every unproven control", ct);

        Assert.All(events.Where(e => e.Reason is EventReasons.ControlPassed or EventReasons.ControlUnproven), e => Assert.Equal(1, e.Count ?? 1));
        Assert.All(events.Where(e => e.Reason == EventReasons.ControlPassed), e => Assert.Contains("unproven -> passed", e.Message, StringComparison.Ordinal));
    }

    private static async Task<HashSet<string>> UnprovenAsync(OperatorHarness h, CancellationToken ct)
    {
        var map = await h.Client.CoreV1.ReadNamespacedConfigMapAsync(EvidenceRecord.ConfigMapName(OperatorHarness.Name), OperatorHarness.Namespace,
            cancellationToken: ct);
        var pass = PassRecordCodec.Deserialize(map.Data?.TryGetValue(PassRecord.DataKey, out var json) == true ? json : null);
        return [.. pass?.Announced.Where(a => a.Value == Outcome.Unknown).Select(a => a.Key) ?? []];
    }

    // The control id each Event of the reason names (the message starts with it).
    private static HashSet<string> Controls(IEnumerable<Corev1Event> events, string reason) =>
        [.. events.Where(e => e.Reason == reason).Select(e => e.Message.Split(' ')[0])];
}
