using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using HipaaMongo.MongodSimulator.Server;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;
using k8s.Models;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// spec.members 3 -> 5 -> 7 -> 5 -> 3 on the simulated cluster, with data written with {w: "majority"} before. What is asserted
/// is read from the mongod simulators themselves (their configs, states and documents) and from the API server (pods,
/// claims), never from the operator's status alone: the set holds exactly the spec's members, all voting; every member
/// holds every acknowledged document; a sampler that reads every running member throughout finds a primary with a
/// serving majority of its config's voters at every moment; the claims of the removed members remain.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class ScaleTests
{
    // Generous: the machine is shared; every wait polls and ends as soon as the state is reached.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(180);

    private const int Documents = 20;

    [Fact]
    public async Task Scaling_3_to_5_to_7_to_5_to_3_keeps_the_majority_and_every_acknowledged_write()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);
        await UntilSetAsync(h, 3, ct);
        await WriteMajorityAsync(h, ct);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = new ConcurrentQueue<string?>();
        var sampler = Task.Run(() => SampleAsync(h, samples, stop.Token), CancellationToken.None);

        foreach (var members in new[] { 5, 7, 5, 3 })
        {
            await PatchMembersAsync(h, members, ct);
            var set = await UntilSetAsync(h, members, ct);
            Assert.All(set, m => Assert.Equal(Acknowledged, Ids(m)));
        }
        await stop.CancelAsync();
        await sampler;

        Assert.NotEmpty(samples);
        Assert.Empty(samples.Where(s => s is not null).Distinct());
        var claims = (await h.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
            .Select(c => c.Metadata.Name).ToList();
        Assert.All(Enumerable.Range(3, 4), ordinal => Assert.Contains(claims, c => c.EndsWith($"{OperatorHarness.Name}-{ordinal}", StringComparison.Ordinal)));
        var events = await h.EventsAsync(ct);
        Assert.Contains(events, e => e.Reason == "ScaleStep" && e.Message.Contains("non-voting", StringComparison.Ordinal));
        Assert.Contains(events, e => e.Reason == "ScaleStep" && e.Message.Contains("remove", StringComparison.Ordinal));
    }

    // Converged as the simulators show it: exactly `members` pods, each running a mongod PRIMARY or SECONDARY, one
    // primary whose config holds exactly their hosts, all voting; and the resource Ready. Returns the members.
    private static async Task<IReadOnlyList<MongodSimulatorHost>> UntilSetAsync(OperatorHarness h, int members, CancellationToken ct)
    {
        IReadOnlyList<MongodSimulatorHost> found = [];
        await OperatorHarness.EventuallyAsync(async () =>
        {
            found = await RunningAsync(h, ct);
            var primary = found.Where(m => m.State.Repl.IsPrimary).ToList();
            if (found.Count != members || primary.Count != 1 || found.Any(m => !Serving(m)))
            {
                return false;
            }
            var config = primary[0].State.Repl.Config!["members"].AsBsonArray.Select(m => m.AsBsonDocument).ToList();
            var hosts = found.Select(m => m.State.Repl.Me).Order().ToList();
            var status = (await h.GetResourceAsync(ct))["status"];
            return config.Count == members && config.All(m => m["votes"].ToInt32() == 1)
                && config.Select(m => m["host"].AsString).Order().SequenceEqual(hosts)
                && (status?["conditions"] as JsonArray)?.Any(c => c!["type"]!.ToString() == "Ready" && c["status"]!.ToString() == "True") == true;
        }, ok => ok, $"{members} serving members, all voting, and the resource Ready", ct, Slow);
        return found;
    }

    private static readonly int[] Acknowledged = [.. Enumerable.Range(0, Documents)];

    // Every _id a member holds, duplicates included: each acknowledged insert exactly once, none lost, none applied twice.
    private static int[] Ids(MongodSimulatorHost m) =>
        [.. m.State.Data.Scan("phi.records").Select(d => d["_id"].ToInt32()).Order()];

    private static bool Serving(MongodSimulatorHost m) => m.State.Repl.State is MemberState.Primary or MemberState.Secondary;

    private static async Task<IReadOnlyList<MongodSimulatorHost>> RunningAsync(OperatorHarness h, CancellationToken ct) =>
        [.. (await h.Client.CoreV1.ListNamespacedPodAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .Select(p => h.Mongods.HostOf(p.Metadata.Uid))
            .OfType<MongodSimulatorHost>()];

    // Every ~100 ms: null when a primary's voters have a serving majority among the running members, else why not.
    private static async Task SampleAsync(OperatorHarness h, ConcurrentQueue<string?> samples, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var running = await RunningAsync(h, ct);
                samples.Enqueue(Majority(running));
                await Task.Delay(100, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static string? Majority(IReadOnlyList<MongodSimulatorHost> running)
    {
        var primary = running.FirstOrDefault(m => m.State.Repl.IsPrimary);
        if (primary is null)
        {
            return "no primary";
        }
        var serving = running.Where(Serving).SelectMany(m => m.State.Repl.SelfNames.Append(m.State.Repl.Me)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var voters = primary.State.Repl.Config!["members"].AsBsonArray.Where(m => m["votes"].ToInt32() > 0).Select(m => m["host"].AsString).ToList();
        var up = voters.Count(serving.Contains);
        return up >= voters.Count / 2 + 1 ? null : $"{up} of {voters.Count} voters serving";
    }

    // As a client would: {w: "majority"} inserts on the primary, each acknowledged before the next.
    private static async Task WriteMajorityAsync(OperatorHarness h, CancellationToken ct)
    {
        var primary = (await RunningAsync(h, ct)).Single(m => m.State.Repl.IsPrimary);
        var pods = (await h.Client.CoreV1.ListNamespacedPodAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items;
        var pod = pods.Single(p => ReferenceEquals(h.Mongods.HostOf(p.Metadata.Uid), primary));
        for (var i = 0; i < Documents; i++)
        {
            var reply = await PersonWithOperatorCertificate.RunWithAsync(h.Client, OperatorHarness.Namespace, $"{OperatorHarness.Name}-member-tls",
                pod.Status.PodIP, "phi", new BsonDocument
                {
                    { "insert", "records" },
                    { "documents", new BsonArray { new BsonDocument { { "_id", i }, { "patient", $"p-{i}" } } } },
                    { "writeConcern", new BsonDocument { { "w", "majority" }, { "wtimeout", 10000 } } },
                }, ct);
            Assert.Equal(1, reply["n"].ToInt32());
            Assert.False(reply.Contains("writeConcernError"));
        }
    }

    private static Task<object> PatchMembersAsync(OperatorHarness h, int members, CancellationToken ct) =>
        h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject { ["spec"] = new JsonObject { ["members"] = members } }.ToJsonString(), V1Patch.PatchType.MergePatch),
            Entities.ApiGroup.Group, Entities.ApiGroup.Version, OperatorHarness.Namespace, Entities.ApiGroup.Plural, OperatorHarness.Name,
            cancellationToken: ct);
}
