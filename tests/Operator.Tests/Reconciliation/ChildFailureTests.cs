using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// One child the API refuses never freezes the pass: a spec change that rewrites the StatefulSet while the API refuses
/// every StatefulSet write with 422 (an injected fault: the real immutable fields are now handled, see
/// StorageExpansionTests), made together with a deleted PDB. The PDB comes back, the status names the refused
/// child at the current generation, one Warning says so, and the refusal is not retried in a loop.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class ChildFailureTests
{
    [Fact(Timeout = 90_000)]
    public async Task Refused_statefulset_stalls_with_its_reason_while_the_other_children_are_still_corrected()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.NetworkIsolated, ct),
            c => c?["status"]?.GetValue<string>() == "True", "the resource settled", ct);

        var pdb = OperatorHarness.Name;
        await h.Client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(pdb, OperatorHarness.Namespace, cancellationToken: ct);
        await RefuseStatefulSetWritesAsync(h, ct);
        var generation = (await h.GetResourceAsync(ct))["metadata"]!["generation"]!.GetValue<long>();

        var stalled = await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.Stalled, ct),
            c => c?["reason"]?.GetValue<string>() == ConditionReasons.ChildRejected, "Stalled naming the refused child", ct);
        Assert.Contains($"StatefulSet {OperatorHarness.Name}: 422", stalled!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("injected fault 422", stalled["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var resource = await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct),
            r => r["status"]?["observedGeneration"]?.GetValue<long>() == generation, "the new generation observed", ct);
        var ready = (resource["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == ConditionTypes.Ready);
        Assert.Equal("False", ready["status"]!.GetValue<string>());
        Assert.Equal(ConditionReasons.ChildRejected, ready["reason"]!.GetValue<string>());
        var restored = await OperatorHarness.EventuallyAsync(
            async () => (await h.Client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items,
            items => items.Any(p => p.Metadata.Name == pdb), "the PDB re-created", ct);
        Assert.Contains(restored, p => p.Metadata.Name == pdb);

        // No hot loop: once the passes the stall itself set off are over (the PDB's and the evidence's echoes, which
        // a loaded machine may still be running), the refused StatefulSet is not asked again and again.
        await QuietAsync(h, ct);
        var before = Refusals(h);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        Assert.InRange(Refusals(h) - before, 0, 2);
        var warnings = (await h.EventsAsync(ct)).Where(e => e.Reason == ConditionReasons.ChildRejected).ToList();
        var warning = Assert.Single(warnings);
        Assert.Equal("Warning", warning.Type);
        Assert.Equal(1, warning.Count ?? 1);
        Assert.Contains($"StatefulSet {OperatorHarness.Name}: 422", warning.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 90_000)]
    public async Task Refused_statefulset_fails_the_pod_template_control_instead_of_passing_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System));
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct),
            r => r["status"]?["compliance"]?["compliant"]?.GetValue<string>() == "True", "compliant before the change", ct);

        await RefuseStatefulSetWritesAsync(h, ct);

        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => es.Any(e => e.Reason == EventReasons.ControlFailed && e.Message.Contains("CIS-3.3", StringComparison.Ordinal)),
            "CIS-3.3 failed while the StatefulSet is refused", ct);
        Assert.Contains(events, e => e.Reason == EventReasons.ControlFailed && e.Message.Contains("not applied: StatefulSet", StringComparison.Ordinal));
        var resource = await h.GetResourceAsync(ct);
        Assert.NotEqual("True", resource["status"]?["compliance"]?["compliant"]?.GetValue<string>());
    }

    // Every StatefulSet write refused with 422, then a spec change that rewrites its pod template (the CPU request).
    private static async Task RefuseStatefulSetWritesAsync(OperatorHarness h, CancellationToken ct)
    {
        h.Server.Faults.Add(new LocalCluster.Hosting.Fault("update", "statefulsets", 422, Name: OperatorHarness.Name));
        h.Server.Faults.Add(new LocalCluster.Hosting.Fault("patch", "statefulsets", 422, Name: OperatorHarness.Name));
        var patch = new JsonObject { ["spec"] = new JsonObject { ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "500m" } } } };
        await h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace, ApiGroup.Plural, OperatorHarness.Name, cancellationToken: ct);
    }

    // Refusals stop growing for a second (bounded): the window after it holds no pass begun before it.
    private static async Task QuietAsync(OperatorHarness h, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var last = Refusals(h);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            var now = Refusals(h);
            if (now == last)
            {
                return;
            }
            last = now;
        }
    }

    private static int Refusals(OperatorHarness h) =>
        h.Server.AuditTrail.Records.Count(r => r.Resource == "statefulsets" && r.Code == 422);
}
