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

    private static V1PodCondition? Find(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static bool Is(V1Pod pod, string type, string status) => Find(pod, type)?.Status == status;

    private static Task<IReadOnlyList<V1Pod>> UntilPodsAsync(OperatorHarness h, Func<IReadOnlyList<V1Pod>, bool> check, string what, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync<IReadOnlyList<V1Pod>>(
            async () => [.. (await h.Client.CoreV1.ListNamespacedPodAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
                .Where(p => p.Metadata.DeletionTimestamp is null)],
            check, what, ct, Slow);
}
