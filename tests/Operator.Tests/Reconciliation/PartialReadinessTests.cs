using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// After bootstrap, a member whose pod stops being Ready does not stop the verification of the others: drift on a
/// Ready member is still corrected, and the not-Ready member is reported Unknown, never Compliant.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class PartialReadinessTests
{
    [Fact(Timeout = 90_000)]
    public async Task Ready_members_are_verified_and_corrected_while_one_pod_is_not_ready()
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitAsync(h, r => r.Status?.Compliance?.Compliant == ComplianceState.True, "compliant", ct);

        await SetReadyAsync(h, "phi-db-2", false, ct);
        members.Script("phi-db-1", v => v with
        {
            Parameters = v.Parameters! with { RedactClientLogData = false },
            Corrections = [new RuntimeCorrection("redactClientLogData", "false", "true", true, null)],
        });

        // The pod's readiness and the member's drift reach the operator separately (a pod watch event, a verification),
        // so the two Events may come from two passes: wait for both.
        await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => es.Any(e => e.Reason == EventReasons.RuntimeSettingReverted && e.Message.Contains("phi-db-1", StringComparison.Ordinal))
                && es.Any(e => e.Reason == EventReasons.VerificationFailed && e.Message.Contains("phi-db-2: its pod is not Ready", StringComparison.Ordinal)),
            "phi-db-1's drift reverted and phi-db-2 reported not Ready", ct);
        var resource = await WaitAsync(h, r => r.Status?.Members?.SingleOrDefault(m => m.Name == "phi-db-2")?.Health == MemberHealth.Unknown,
            "phi-db-2 Unknown", ct);
        Assert.NotEqual(ComplianceState.True, resource.Status!.Compliance!.Compliant);
        Assert.Equal(["phi-db-0", "phi-db-1", "phi-db-2"], resource.Status.Members!.Select(m => m.Name));
        Assert.Equal("False", resource.Status.Conditions!.Single(c => c.Type == ConditionTypes.Ready).Status);

        members.Heal("phi-db-1");
        await SetReadyAsync(h, "phi-db-2", true, ct);

        await WaitAsync(h, r => r.Status?.Compliance?.Compliant == ComplianceState.True
            && r.Status.Members!.All(m => m.Health == MemberHealth.Healthy), "compliant again with every member healthy", ct);
    }

    [Fact(Timeout = 90_000)]
    public async Task A_restarted_operator_verifies_the_ready_members_without_waiting_for_every_pod_or_bootstrapping_again()
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitAsync(h, r => r.Status?.Compliance?.Compliant == ComplianceState.True, "compliant", ct);
        var bootstraps = members.Bootstraps;

        await h.StopRunningOperatorAsync();
        await SetReadyAsync(h, "phi-db-2", false, ct);
        members.Script("phi-db-1", v => v with
        {
            Parameters = v.Parameters! with { RedactClientLogData = false },
            Corrections = [new RuntimeCorrection("redactClientLogData", "false", "true", true, null)],
        });
        await h.StartStoppedOperatorAsync(ct);

        // The stored status shows an initiated set (members in replica-set roles): the fresh process needs no memory
        // of the bootstrap to verify the Ready members while phi-db-2's pod is not Ready.
        await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => es.Any(e => e.Reason == EventReasons.RuntimeSettingReverted && e.Message.Contains("phi-db-1", StringComparison.Ordinal)),
            "phi-db-1's drift reverted after the restart while phi-db-2 is not Ready", ct);
        Assert.Equal(bootstraps, members.Bootstraps);
    }

    internal static async Task SetReadyAsync(OperatorHarness h, string pod, bool ready, CancellationToken ct)
    {
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
            },
        };
        await h.Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), pod,
            OperatorHarness.Namespace, cancellationToken: ct);
    }

    internal static Task<HipaaMongoResource> WaitAsync(OperatorHarness h, Func<HipaaMongoResource, bool> check, string what, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync(async () => KubernetesJson.Deserialize<HipaaMongoResource>((await h.GetResourceAsync(ct)).ToJsonString()),
            r => r.Status?.Members is not null && check(r), what, ct);
}
