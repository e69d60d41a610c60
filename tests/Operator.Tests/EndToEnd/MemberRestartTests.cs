using System.Text.Json.Nodes;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// A member pod deleted on the simulated cluster comes back on its own claim with the replica-set config and users
/// its mongod wrote there, as a real mongod restarted on its volume does, and the resource returns to Ready and
/// compliant by itself: no step by the test, no change on the operator's side.
/// </summary>
public sealed class MemberRestartTests
{
    // Generous: the machine is shared; every wait polls and ends as soon as the state is reached.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_deleted_member_pod_rejoins_with_its_data_and_the_resource_is_Ready_and_compliant_again()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var compliance = await SteadyAsync(h, ct);
        var name = $"{OperatorHarness.Name}-1";
        var before = await h.Client.CoreV1.ReadNamespacedPodAsync(name, OperatorHarness.Namespace, cancellationToken: ct);
        var config = h.Mongods.HostOf(before.Metadata.Uid)!.State.Repl.Config!;

        // As kubectl delete pod does; the reply is the pod, as kube-apiserver's pod storage returns it (ReturnDeletedObject).
        var deleted = await h.Client.CoreV1.DeleteNamespacedPodAsync(name, OperatorHarness.Namespace, cancellationToken: ct);
        Assert.Equal(before.Metadata.Uid, deleted.Metadata.Uid);
        var replacement = await UntilReplacedAsync(h, name, before.Metadata.Uid, ct);
        var member = h.Mongods.HostOf(replacement)!;

        // It read its volume: the same set (replicaSetId) and the operator's x.509 user, before any operator step.
        Assert.Equal(config["settings"]["replicaSetId"], member.State.Repl.Config?["settings"]["replicaSetId"]);
        Assert.NotEmpty(member.State.Users.AllUsers());
        var status = await UntilAsync(h, s => Compliance(s) == compliance && s["readyMembers"]?.GetValue<int>() == 3 && Ready(s),
            "Ready and as compliant as before", ct);
        Assert.Contains(((JsonArray)status["members"]!), m => m!["name"]!.GetValue<string>() == name && m["health"]?.GetValue<string>() == "Healthy");
        var bootstraps = (await h.EventsAsync(ct)).Where(e => e.Reason == "ReplicaSetBootstrapped").ToList();
        Assert.Equal(1, bootstraps.Sum(e => e.Count ?? 1)); // rejoined from its volume, not bootstrapped again
    }

    // Two of three gone at once (a node drained without a PDB, two evictions): the majority is lost until they return.
    // Nothing the operator does makes it worse (it deletes no pod and touches no claim, no second bootstrap), and the
    // set recovers by itself once both pods run again on their claims.
    [Fact]
    public async Task Two_of_three_deleted_at_once_recover_by_themselves_and_the_operator_makes_nothing_worse()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var compliance = await SteadyAsync(h, ct);
        string[] names = [$"{OperatorHarness.Name}-1", $"{OperatorHarness.Name}-2"];
        var uids = new Dictionary<string, string>();
        foreach (var name in names)
        {
            uids[name] = (await h.Client.CoreV1.ReadNamespacedPodAsync(name, OperatorHarness.Namespace, cancellationToken: ct)).Metadata.Uid;
        }

        var since = DateTimeOffset.UtcNow;
        await Task.WhenAll(names.Select(n => h.Client.CoreV1.DeleteNamespacedPodAsync(n, OperatorHarness.Namespace, cancellationToken: ct)));
        foreach (var name in names)
        {
            await UntilReplacedAsync(h, name, uids[name], ct);
        }
        await UntilAsync(h, s => Compliance(s) == compliance && s["readyMembers"]?.GetValue<int>() == 3 && Ready(s),
            "Ready and as compliant as before", ct);

        var writes = h.Server.AuditTrail.Writes.Where(r => r.Time >= since && r.Code is >= 200 and < 300).ToList();
        Assert.Equal(2, writes.Count(r => r is { Verb: "delete", Resource: "pods" })); // the test's two, none by the operator
        Assert.DoesNotContain(writes, r => r.Resource == "persistentvolumeclaims" && r.Verb is "delete" or "update" or "patch");
        var bootstraps = (await h.EventsAsync(ct)).Where(e => e.Reason == "ReplicaSetBootstrapped").ToList();
        Assert.Equal(1, bootstraps.Sum(e => e.Count ?? 1));
    }

    // The sample, verified every 10 s, at rest: every control but key custody proven on 3 verified members.
    private static async Task<string> SteadyAsync(OperatorHarness h, CancellationToken ct)
    {
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);
        var steady = await UntilAsync(h, s => SimulatedClusterTests.AllButKeyCustody(s) && s["readyMembers"]?.GetValue<int>() == 3,
            "every control but key custody with 3 verified members", ct);
        return Compliance(steady);
    }

    // The verdict, the counts and the failing controls: what "as compliant as before" compares.
    private static string Compliance(JsonObject s) => string.Join("|", s["compliance"]?["compliant"], s["compliance"]?["passed"],
        s["compliance"]?["total"], s["compliance"]?["failing"]?.ToJsonString());

    private static bool Ready(JsonObject s) =>
        (s["conditions"] as JsonArray)?.Any(c => c!["type"]!.ToString() == "Ready" && c["status"]!.ToString() == "True") == true;

    private static async Task<string> UntilReplacedAsync(OperatorHarness h, string name, string oldUid, CancellationToken ct)
    {
        var replacement = await OperatorHarness.EventuallyAsync(
            async () => (await h.Client.CoreV1.ListNamespacedPodAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
                .FirstOrDefault(p => p.Metadata.Name == name && p.Metadata.Uid != oldUid && p.Status?.PodIP is not null)?.Metadata.Uid,
            uid => uid is not null && h.Mongods.HostOf(uid) is not null, "the replacement pod running its mongod", ct, Slow);
        return replacement!;
    }

    private static async Task<JsonObject> UntilAsync(OperatorHarness h, Func<JsonObject, bool> check, string what, CancellationToken ct) =>
        (await OperatorHarness.EventuallyAsync(async () => (await h.GetResourceAsync(ct))["status"] as JsonObject,
            s => s is not null && check(s), what, ct, Slow))!;
}
