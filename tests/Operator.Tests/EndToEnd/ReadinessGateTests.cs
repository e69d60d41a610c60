using System.Text.Json.Nodes;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// Pod readiness by member state on the simulated cluster: every member pod carries the readiness gate
/// hipaa.mongooperator.io/member-ready, which the operator sets from the primary's replSetGetStatus, and the simulated
/// kubelet reports a pod Ready only when its containers are ready and the gate's condition is True. A member that
/// stops answering while its port still accepts connections (so a TCP check passes) is not Ready, and is again once it
/// answers.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class ReadinessGateTests
{
    private const string Gate = "hipaa.mongooperator.io/member-ready";

    // Generous: the machine is shared; every wait polls and ends as soon as the state is reached.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_member_pod_is_Ready_only_while_its_member_serves_even_when_its_port_still_listens()
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

        // The simulation's hang switch: mongod keeps its socket open (a TCP probe passes) and answers nothing.
        var name = $"{OperatorHarness.Name}-2";
        var hang = new V1Patch("""{"metadata":{"annotations":{"sim.hipaa-mongo.io/hang":"true"}}}""", V1Patch.PatchType.MergePatch);
        await h.Client.CoreV1.PatchNamespacedPodAsync(hang, name, OperatorHarness.Namespace, cancellationToken: ct);
        var hung = await UntilPodsAsync(h, ps => ps.Any(p => p.Metadata.Name == name && Is(p, "Ready", "False")), $"{name} not Ready", ct);
        var pod = hung.Single(p => p.Metadata.Name == name);
        Assert.Equal("True", Find(pod, "ContainersReady")!.Status); // the container's TCP check still passes
        Assert.Equal("ReadinessGatesNotReady", Find(pod, "Ready")!.Reason);
        Assert.Equal("False", Find(pod, Gate)!.Status);
        Assert.Equal("MemberNotServing", Find(pod, Gate)!.Reason);
        Assert.StartsWith($"{name}: ", Find(pod, Gate)!.Message, StringComparison.Ordinal);
        Assert.All(hung.Where(p => p.Metadata.Name != name), p => Assert.True(Is(p, "Ready", "True"), $"{p.Metadata.Name} stays Ready"));

        var answer = new V1Patch("""{"metadata":{"annotations":{"sim.hipaa-mongo.io/hang":"false"}}}""", V1Patch.PatchType.MergePatch);
        await h.Client.CoreV1.PatchNamespacedPodAsync(answer, name, OperatorHarness.Namespace, cancellationToken: ct);
        await UntilPodsAsync(h, ps => ps.Count == 3 && ps.All(p => Is(p, "Ready", "True") && Is(p, Gate, "True")), $"{name} Ready again", ct);
    }

    private static V1PodCondition? Find(V1Pod pod, string type) => pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static bool Is(V1Pod pod, string type, string status) => Find(pod, type)?.Status == status;

    private static Task<IReadOnlyList<V1Pod>> UntilPodsAsync(OperatorHarness h, Func<IReadOnlyList<V1Pod>, bool> check, string what, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync<IReadOnlyList<V1Pod>>(
            async () => [.. (await h.Client.CoreV1.ListNamespacedPodAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
                .Where(p => p.Metadata.DeletionTimestamp is null)],
            check, what, ct, Slow);
}
