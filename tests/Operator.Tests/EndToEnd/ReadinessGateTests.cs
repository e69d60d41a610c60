using System.Text.Json.Nodes;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// Pod readiness by member state on the simulated cluster: every member pod carries the readiness gate
/// hipaa.mongooperator.io/member-ready, which the operator sets from the primary's replSetGetStatus, and the simulated
/// kubelet reports a pod Ready only when its containers are ready and the gate's condition is True.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class ReadinessGateTests
{
    private const string Gate = "hipaa.mongooperator.io/member-ready";

    // Generous: the machine is shared; every wait polls and ends as soon as the state is reached.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Member_pods_are_Ready_once_the_operator_judged_each_member_serving_through_the_gate()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);

        var pods = await UntilPodsAsync(h, ps => ps.Count == 3 && ps.All(p => Is(p, "Ready", "True") && Is(p, Gate, "True")),
            "three Ready member pods with the gate True", ct);
        Assert.All(pods, p => Assert.Contains(p.Spec.ReadinessGates, g => g.ConditionType == Gate));
        Assert.All(pods, p => Assert.Equal("MemberServing", Find(p, Gate)!.Reason));
    }

    // A frozen member (port open, nothing answered) stops being Ready once the primary has stopped hearing from it,
    // though its TCP probe still passes, and is Ready again once it answers; the other two stay Ready throughout.
    [Fact]
    public async Task A_hung_member_is_not_Ready_until_it_answers_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);
        await UntilPodsAsync(h, ps => ps.Count == 3 && ps.All(p => Is(p, "Ready", "True")), "three Ready member pods", ct);
        var hung = await OperatorHarness.EventuallyAsync(
            async () => ((await h.GetResourceAsync(ct))["status"]?["members"] as JsonArray)?
                .FirstOrDefault(m => m?["role"]?.GetValue<string>() == "Secondary")?["name"]?.GetValue<string>(),
            name => name is not null, "a verified secondary", ct, Slow);

        await AnnotateHangAsync(h, hung!, "true", ct);
        var during = await UntilPodsAsync(h, ps => ps.Any(p => p.Metadata.Name == hung && Is(p, Gate, "False") && Is(p, "Ready", "False")),
            $"{hung} not Ready through the gate", ct);
        Assert.All(during.Where(p => p.Metadata.Name != hung), p => Assert.True(Is(p, "Ready", "True"), $"{p.Metadata.Name} stayed Ready"));
        Assert.Equal("MemberNotServing", Find(during.Single(p => p.Metadata.Name == hung), Gate)!.Reason);

        await AnnotateHangAsync(h, hung!, "false", ct);
        await UntilPodsAsync(h, ps => ps.Count == 3 && ps.All(p => Is(p, "Ready", "True")), $"{hung} Ready again", ct);
    }

    private static Task<V1Pod> AnnotateHangAsync(OperatorHarness h, string pod, string value, CancellationToken ct) =>
        h.Client.CoreV1.PatchNamespacedPodAsync(
            new V1Patch(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["sim.hipaa-mongo.io/hang"] = value } } }.ToJsonString(),
                V1Patch.PatchType.MergePatch),
            pod, OperatorHarness.Namespace, cancellationToken: ct);

    private static V1PodCondition? Find(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static bool Is(V1Pod pod, string type, string status) => Find(pod, type)?.Status == status;

    private static Task<IReadOnlyList<V1Pod>> UntilPodsAsync(OperatorHarness h, Func<IReadOnlyList<V1Pod>, bool> check, string what, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync<IReadOnlyList<V1Pod>>(
            async () => [.. (await h.Client.CoreV1.ListNamespacedPodAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
                .Where(p => p.Metadata.DeletionTimestamp is null)],
            check, what, ct, Slow);
}
