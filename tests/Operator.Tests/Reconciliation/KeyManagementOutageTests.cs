using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Verification;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// A KMIP server that stops answering the operator's probe while the members run: the KeyManagementReachable
/// condition names the server within one verification interval, one Warning Event says so however many passes see
/// the outage, no member is touched, and the condition clears when the server answers again.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class KeyManagementOutageTests
{
    [Fact(Timeout = 120_000)]
    public async Task An_unreachable_kmip_server_sets_the_condition_with_one_warning_and_clears_when_it_is_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);
        await WaitConditionAsync(h, "True", ct);

        members.Keys.Reachable = false;
        var down = await WaitConditionAsync(h, "False", ct);
        Assert.Equal(ConditionReasons.KmipUnreachable, down["reason"]!.GetValue<string>());
        Assert.Contains("kmip.security.svc.cluster.local:5696", down["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // Two more probes see the outage: still one Warning.
        var probes = members.Keys.Probes;
        await OperatorHarness.EventuallyAsync(() => Task.FromResult(members.Keys.Probes), n => n >= probes + 2, "two more probes", ct);
        var warnings = (await h.EventsAsync(ct)).Where(e => e.Reason == EventReasons.KmipUnreachable).ToList();
        Assert.Single(warnings);
        Assert.Equal("Warning", warnings[0].Type);
        Assert.Equal(1, warnings[0].Count ?? 1);

        members.Keys.Reachable = true;
        var up = await WaitConditionAsync(h, "True", ct);
        Assert.Equal(ConditionReasons.KmipReachable, up["reason"]!.GetValue<string>());
    }

    private static async Task<JsonObject> WaitConditionAsync(OperatorHarness h, string status, CancellationToken ct) =>
        (await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.KeyManagementReachable, ct),
            c => c?["status"]?.GetValue<string>() == status, $"KeyManagementReachable={status}", ct))!;
}
