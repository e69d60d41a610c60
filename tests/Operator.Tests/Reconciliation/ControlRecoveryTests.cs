using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reconciliation;
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

    // An Event the API could not take fails the pass before the pass record remembers it, so the retry announces it:
    // before, the record was written first and the Event was lost for good.
    [Fact(Timeout = 120_000)]
    public async Task Recoveries_announced_while_events_cannot_be_written_are_announced_once_they_can()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await UnprovenAsync(ct);

        h.Server.Faults.Add(new Fault("create", "events", 500));
        await PartialReadinessTests.SetReadyAsync(h, "phi-db-2", true, ct);
        await PartialReadinessTests.WaitAsync(h, r => r.Status?.Compliance?.Compliant == ComplianceState.True, "compliant again", ct);
        h.Server.Faults.Clear();

        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => Controls(es, EventReasons.ControlPassed).SetEquals(Controls(es, EventReasons.ControlUnproven)),
            "a ControlPassed Event for every unproven control", ct);
        AssertOncePerControl(events);
    }

    // The Events go out before the pass record that remembers them: a record write that fails makes the retry decide
    // the same announcements, which name the same Events, so none is repeated.
    [Fact(Timeout = 120_000)]
    public async Task Recoveries_are_announced_once_when_the_record_write_fails_after_the_events()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await UnprovenAsync(ct);

        var failing = new Fault("patch", "configmaps", 500, Times: 2, Name: EvidenceRecord.ConfigMapName(OperatorHarness.Name));
        h.Server.Faults.Add(failing);
        await PartialReadinessTests.SetReadyAsync(h, "phi-db-2", true, ct);
        await OperatorHarness.EventuallyAsync(async () => await UnprovenAsync(h, ct), left => left.Count == 0,
            "a pass record with no unproven control", ct);

        AssertOncePerControl(await h.EventsAsync(ct));
        Assert.Equal(0, h.Server.Faults.Remaining(failing)); // both record writes failed, so the retry path ran
    }

    // Compliant, then phi-db-2 not Ready until every unproven control has had its ControlUnproven Event.
    private static async Task<OperatorHarness> UnprovenAsync(CancellationToken ct)
    {
        var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System));
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await PartialReadinessTests.WaitAsync(h, r => r.Status?.Compliance?.Compliant == ComplianceState.True, "compliant", ct);
        await PartialReadinessTests.SetReadyAsync(h, "phi-db-2", false, ct);
        await OperatorHarness.EventuallyAsync(async () => (Controls(await h.EventsAsync(ct), EventReasons.ControlUnproven), await UnprovenAsync(h, ct)),
            x => x.Item2.Contains("HIPAA-164.312(b)") && x.Item1.SetEquals(x.Item2), "a ControlUnproven Event for every unproven control", ct);
        return h;
    }

    private static void AssertOncePerControl(IReadOnlyList<Corev1Event> events)
    {
        var passed = events.Where(e => e.Reason == EventReasons.ControlPassed).ToList();
        Assert.NotEmpty(passed);
        Assert.All(passed, e => Assert.Equal(1, e.Count ?? 1));
        Assert.Equal(passed.Count, Controls(passed, EventReasons.ControlPassed).Count);
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
