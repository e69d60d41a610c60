using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using HipaaMongo.MongodSimulator.Server;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;
using k8s.Models;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// A patch version bump (spec.version 8.0.4 -> 8.0.5) of 3 and of 5 members on the simulated cluster while a client writes
/// with {w: "majority"} throughout. Asserted from the mongod simulators and the API server, never from the operator's
/// status alone: every member ends on the new build; every acknowledged insert is on every member exactly once; the
/// pods were deleted one at a time by the operator (the API audit trail), each once, the first primary's last; a
/// sampler reading every running simulator every 100 ms never finds more than one voting member down.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class RolloutTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(240);

    [Theory]
    [InlineData(3)]
    [InlineData(5)]
    public async Task A_patch_version_bump_rolls_one_member_at_a_time_with_the_primary_last_and_loses_no_write(int members)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        sample["spec"]!["members"] = members;
        await h.CreateAsync(sample, ct);
        var before = await UntilRunningAsync(h, "8.0.4", ct, members);
        var firstPrimary = await PodOfAsync(h, before.Single(m => m.State.Repl.IsPrimary), ct);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = new ConcurrentQueue<string?>();
        var acknowledged = new ConcurrentBag<int>();
        var sampler = Task.Run(() => SampleAsync(h, samples, stop.Token), CancellationToken.None);
        var writer = Task.Run(() => WriteAsync(h, acknowledged, stop.Token), CancellationToken.None);
        await OperatorHarness.EventuallyAsync(() => Task.FromResult(acknowledged.Count), n => n >= 5, "a few writes before the bump", ct, Slow);

        var started = DateTimeOffset.UtcNow;
        await PatchVersionAsync(h, "8.0.5", ct);
        var after = await UntilRunningAsync(h, "8.0.5", ct, members);
        await stop.CancelAsync();
        await Task.WhenAll(sampler, writer);

        Assert.NotEmpty(samples);
        Assert.Empty(samples.Where(s => s is not null).Distinct());
        var ids = acknowledged.Order().ToArray();
        Assert.True(ids.Length > 5, $"{ids.Length} acknowledged writes");
        Assert.All(after, m =>
        {
            var held = Ids(m);
            Assert.Equal(held.Length, held.Distinct().Count()); // none applied twice
            Assert.Empty(ids.Except(held)); // none lost
        });

        var deletions = h.Server.AuditTrail.Writes
            .Where(r => r is { Verb: "delete", Resource: "pods", Namespace: "clinical", Code: >= 200 and < 300 } && r.Time >= started)
            .Select(r => r.Name!).ToList();
        Assert.Equal(members, deletions.Count);
        Assert.Equal(members, deletions.Distinct().Count());
        Assert.Equal(firstPrimary, deletions[^1]);
        var events = await h.EventsAsync(ct);
        Assert.Equal(members, events.Count(e => e.Reason == "RolloutStep" && e.Message.StartsWith("pod deleted", StringComparison.Ordinal)));
        Assert.Contains(events, e => e.Reason == "RolloutStep" && e.Message.StartsWith("replSetStepDown", StringComparison.Ordinal));
    }

    // The operator keeps nothing between passes: stopped and started again after its first deletion, the new process
    // reads the pods' revisions and the set's status and finishes, each pod deleted once, the first primary's last.
    [Fact]
    public async Task An_operator_restarted_mid_rollout_resumes_without_restarting_a_member_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var firstPrimary = await RunningAt804Async(h, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = new ConcurrentQueue<string?>();
        var sampler = Task.Run(() => SampleAsync(h, samples, stop.Token), CancellationToken.None);

        var started = DateTimeOffset.UtcNow;
        await PatchVersionAsync(h, "8.0.5", ct);
        await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct), events => events.Any(e => e.Reason == "RolloutStep"),
            "the first rollout step", ct, Slow);
        await h.RestartOperatorAsync(ct);
        await UntilRunningAsync(h, "8.0.5", ct);
        await stop.CancelAsync();
        await sampler;

        Assert.Empty(samples.Where(s => s is not null).Distinct());
        var deletions = h.Server.AuditTrail.Writes
            .Where(r => r is { Verb: "delete", Resource: "pods", Namespace: "clinical", Code: >= 200 and < 300 } && r.Time >= started)
            .Select(r => r.Name!).ToList();
        Assert.Equal(3, deletions.Count);
        Assert.Equal(3, deletions.Distinct().Count());
        Assert.Equal(firstPrimary, deletions[^1]);
    }

    // Killed at random points: the operator is stopped (its pass cancelled wherever it is: before a read, between a
    // deletion and its Event, during a step-down) and a fresh one started, again and again at random intervals, until
    // the rollout is done. Each pod is still deleted exactly once, the first primary's last, never while another member
    // was down (the sampler), and no mongod container was restarted in place. The seed is in the failure message.
    [Fact]
    public async Task An_operator_killed_at_random_points_mid_rollout_finishes_it_with_each_member_restarted_once_and_one_at_a_time()
    {
        var ct = TestContext.Current.CancellationToken;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var firstPrimary = await RunningAt804Async(h, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = new ConcurrentQueue<string?>();
        var sampler = Task.Run(() => SampleAsync(h, samples, stop.Token), CancellationToken.None);

        var started = DateTimeOffset.UtcNow;
        await PatchVersionAsync(h, "8.0.5", ct);
        var kills = 0;
        var deadline = DateTime.UtcNow + Slow;
        while (!await UpdatedAsync(h, "8.0.5", ct) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(100, 4000)), ct);
            if (random.Next(2) == 0)
            {
                await h.RestartOperatorAsync(ct); // killed and replaced at once
            }
            else
            {
                await h.StopRunningOperatorAsync(); // killed, and a new one only after a gap
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(100, 2000)), ct);
                await h.StartStoppedOperatorAsync(ct);
            }
            kills++;
        }
        await UntilRunningAsync(h, "8.0.5", ct);
        await stop.CancelAsync();
        await sampler;

        var why = $"seed {seed}, {kills} kills";
        Assert.True(kills >= 2, why);
        Assert.True(samples.All(s => s is null), $"{why}: {samples.FirstOrDefault(s => s is not null)}");
        var deletions = Deletions(h, started);
        Assert.True(deletions.Count == 3 && deletions.Distinct().Count() == 3, $"{why}: deletions {string.Join(", ", deletions)}");
        Assert.True(firstPrimary == deletions[^1], $"{why}: the first primary {firstPrimary} was not deleted last ({string.Join(", ", deletions)})");
        var pods = await PodsAsync(h, ct);
        Assert.All(pods, p => Assert.Equal(0, p.Pod.Status.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0));
    }

    // A leader failover mid-rollout: two replicas elect a leader on the operator's Lease; once the leader has deleted
    // its first pod it goes away, and the standby acquires the Lease, reads the pods' revisions and the set's status,
    // and finishes: each pod deleted once, the first primary's last, never two voters down.
    [Fact]
    public async Task A_leader_failover_mid_rollout_is_finished_by_the_standby_with_each_member_restarted_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var firstPrimary = await RunningAt804Async(h, ct);
        await h.StopRunningOperatorAsync();
        await h.Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = OperatorHarness.OperatorNamespace } },
            cancellationToken: ct);
        var replicas = new Dictionary<string, Microsoft.Extensions.Hosting.IHost>
        {
            ["operator-a"] = await h.StartReplicaAsync("operator-a", ct),
            ["operator-b"] = await h.StartReplicaAsync("operator-b", ct),
        };
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var samples = new ConcurrentQueue<string?>();
            var sampler = Task.Run(() => SampleAsync(h, samples, stop.Token), CancellationToken.None);
            var started = DateTimeOffset.UtcNow;
            await PatchVersionAsync(h, "8.0.5", ct);
            var leader = await OperatorHarness.EventuallyAsync(() => Task.FromResult(Deleters(h, started).FirstOrDefault()), d => d is not null,
                "the leader's first deletion", ct, Slow);
            await replicas[leader!].StopAsync(ct);
            replicas[leader!].Dispose();
            replicas.Remove(leader!);
            await UntilRunningAsync(h, "8.0.5", ct);
            await stop.CancelAsync();
            await sampler;

            Assert.True(samples.All(s => s is null), samples.FirstOrDefault(s => s is not null));
            var deletions = Deletions(h, started);
            Assert.True(deletions.Count == 3 && deletions.Distinct().Count() == 3, $"deletions {string.Join(", ", deletions)}");
            Assert.Equal(firstPrimary, deletions[^1]);
            Assert.Contains(replicas.Keys.Single(), Deleters(h, started));
        }
        finally
        {
            foreach (var host in replicas.Values)
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
            }
        }
    }

    // The sample, verified every 10 s, running 8.0.4 on every member; the pod of its primary, which a rollout restarts last.
    private static async Task<string> RunningAt804Async(OperatorHarness h, CancellationToken ct)
    {
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);
        var before = await UntilRunningAsync(h, "8.0.4", ct);
        return await PodOfAsync(h, before.Single(m => m.State.Repl.IsPrimary), ct);
    }

    // The service accounts (operator-a, operator-b) that deleted member pods since a moment, in order.
    private static List<string> Deleters(OperatorHarness h, DateTimeOffset since) =>
        [.. h.Server.AuditTrail.Writes
            .Where(r => r is { Verb: "delete", Resource: "pods", Namespace: "clinical", Code: >= 200 and < 300 } && r.Time >= since)
            .Select(r => r.User[(r.User.LastIndexOf(':') + 1)..]).Distinct()];

    // Every member pod created again at the new version: the rollout's deletions are over (the set may still converge).
    private static async Task<bool> UpdatedAsync(OperatorHarness h, string version, CancellationToken ct)
    {
        var running = await RunningAsync(h, ct);
        return running.Count == 3 && running.All(m => m.State.Profile.Version == version);
    }

    // A major upgrade 7.0 -> 8.0: rolled as a patch is, the first primary last and never two voters down; FCV stays 7.0
    // on every member while any runs 7.0 (a 7.0 binary refuses data whose FCV was raised) and is raised to 8.0 once all
    // run 8.0, on every member (replicated from the primary), and the status shows it.
    [Fact]
    public async Task A_major_upgrade_rolls_with_the_primary_last_then_raises_fcv_once_every_member_runs_the_new_binary()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["version"] = "7.0.12";
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);
        var before = await UntilRunningAsync(h, "7.0.12", ct);
        await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct), r => r["status"]?["featureCompatibilityVersion"]?.ToString() == "7.0",
            "status.featureCompatibilityVersion 7.0 before the upgrade", ct, Slow);
        var firstPrimary = await PodOfAsync(h, before.Single(m => m.State.Repl.IsPrimary), ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = new ConcurrentQueue<string?>();
        var fcvWhileMixed = new ConcurrentQueue<string>();
        var sampler = Task.Run(() => SampleAsync(h, samples, stop.Token), CancellationToken.None);
        var fcvSampler = Task.Run(() => SampleFcvWhileMixedAsync(h, fcvWhileMixed, stop.Token), CancellationToken.None);

        var started = DateTimeOffset.UtcNow;
        await PatchVersionAsync(h, "8.0.4", ct);
        var after = await UntilRunningAsync(h, "8.0.4", ct);
        await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct), r => r["status"]?["featureCompatibilityVersion"]?.ToString() == "8.0",
            "status.featureCompatibilityVersion 8.0", ct, Slow);
        await OperatorHarness.EventuallyAsync(async () => (await RunningAsync(h, ct)).Select(Fcv).ToList(),
            fcvs => fcvs.Count == 3 && fcvs.All(v => v == "8.0"), "FCV 8.0 on every member", ct, Slow);
        await stop.CancelAsync();
        await Task.WhenAll(sampler, fcvSampler);

        Assert.Empty(samples.Where(s => s is not null).Distinct());
        Assert.Empty(fcvWhileMixed.Where(v => v != "7.0").Distinct());
        var deletions = h.Server.AuditTrail.Writes
            .Where(r => r is { Verb: "delete", Resource: "pods", Namespace: "clinical", Code: >= 200 and < 300 } && r.Time >= started)
            .Select(r => r.Name!).ToList();
        Assert.Equal(3, deletions.Count);
        Assert.Equal(3, deletions.Distinct().Count());
        Assert.Equal(firstPrimary, deletions[^1]);
        var events = await h.EventsAsync(ct);
        Assert.Single(events, e => e.Reason == "RolloutStep" && e.Message.StartsWith("setFeatureCompatibilityVersion 8.0 (confirm: true)", StringComparison.Ordinal));
        Assert.All(after, m => Assert.Equal("8.0.4", m.State.Profile.Version));
    }

    // A change mongod refuses: spec.image names a mirror of 7.0.12 while the data's FCV is 8.0, so the restarted member
    // exits 62 ("Wrong mongod version", as mongod's initializeForStartup refuses data it cannot open). The rollout halts
    // after that first member (no other pod deleted, the other two keep serving), Stalled/RolloutHalted carries mongod's
    // words from the pod's termination message, and removing the override resumes: the broken member is replaced and
    // the set is whole and Ready again.
    [Fact]
    public async Task A_member_that_refuses_the_change_halts_the_rollout_after_it_and_fixing_the_spec_resumes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct, rolloutHealthBound: TimeSpan.FromSeconds(15));
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);
        await UntilRunningAsync(h, "8.0.4", ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = new ConcurrentQueue<string?>();
        var sampler = Task.Run(() => SampleAsync(h, samples, stop.Token), CancellationToken.None);

        var started = DateTimeOffset.UtcNow;
        await PatchSpecAsync(h, new JsonObject { ["image"] = "mirror.example/mongodb/mongodb-enterprise-server:7.0.12-ubi8" }, ct);
        var halted = await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct),
            r => Condition(r, "Stalled") is { } c && c["reason"]?.ToString() == "RolloutHalted", "Stalled with reason RolloutHalted", ct, Slow);
        var whileHalted = Deletions(h, started);
        var serving = (await RunningAsync(h, ct)).Where(Serving).ToList();
        await Task.Delay(TimeSpan.FromSeconds(3), ct); // a few more passes while halted: still nothing deleted
        var afterPasses = Deletions(h, started);
        var events = await h.EventsAsync(ct);

        await PatchSpecAsync(h, new JsonObject { ["image"] = null }, ct);
        await UntilRunningAsync(h, "8.0.4", ct);
        await stop.CancelAsync();
        await sampler;

        var message = Condition(halted, "Stalled")!["message"]!.ToString();
        Assert.True(message.Contains("exited with code 62", StringComparison.Ordinal) && message.Contains("Wrong mongod version", StringComparison.Ordinal),
            message);
        Assert.Single(whileHalted);
        Assert.Equal(whileHalted, afterPasses);
        Assert.Equal(2, serving.Count);
        Assert.Single(serving, m => m.State.Repl.IsPrimary);
        Assert.Contains(events, e => e.Reason == "RolloutHalted" && e.Type == "Warning" && e.Message.Contains("Wrong mongod version", StringComparison.Ordinal));
        Assert.Empty(samples.Where(s => s is not null).Distinct());
        var all = Deletions(h, started);
        Assert.All(all, name => Assert.Equal(whileHalted[0], name)); // only the broken member was ever restarted
        Assert.Null(Condition(await h.GetResourceAsync(ct), "Stalled"));
    }

    private static JsonNode? Condition(JsonNode resource, string type) =>
        (resource["status"]?["conditions"] as JsonArray)?.FirstOrDefault(c => c!["type"]!.ToString() == type);

    private static List<string> Deletions(OperatorHarness h, DateTimeOffset since) =>
        [.. h.Server.AuditTrail.Writes
            .Where(r => r is { Verb: "delete", Resource: "pods", Namespace: "clinical", Code: >= 200 and < 300 } && r.Time >= since)
            .Select(r => r.Name!)];

    private static Task<object> PatchSpecAsync(OperatorHarness h, JsonObject spec, CancellationToken ct) =>
        h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject { ["spec"] = spec }.ToJsonString(), V1Patch.PatchType.MergePatch),
            Entities.ApiGroup.Group, Entities.ApiGroup.Version, OperatorHarness.Namespace, Entities.ApiGroup.Plural, OperatorHarness.Name,
            cancellationToken: ct);

    private static string Fcv(MongodSimulatorHost m) => m.State.Parameters.Get("featureCompatibilityVersion")["version"].AsString;

    // Every ~100 ms while members run different binaries: each running member's FCV (it must stay the old release).
    private static async Task SampleFcvWhileMixedAsync(OperatorHarness h, ConcurrentQueue<string> fcvs, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var running = await RunningAsync(h, ct);
                if (running.Select(m => m.State.Profile.Version).Distinct().Count() > 1)
                {
                    foreach (var m in running) fcvs.Enqueue(Fcv(m));
                }
                await Task.Delay(100, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    // Converged: three pods each running a simulator of this version, PRIMARY or SECONDARY, one primary; the
    // StatefulSet's pods all at its update revision; the resource Ready.
    private static async Task<IReadOnlyList<MongodSimulatorHost>> UntilRunningAsync(OperatorHarness h, string version, CancellationToken ct,
        int members = 3)
    {
        IReadOnlyList<MongodSimulatorHost> found = [];
        await OperatorHarness.EventuallyAsync(async () =>
        {
            found = await RunningAsync(h, ct);
            var status = (await h.GetResourceAsync(ct))["status"];
            return found.Count == members && found.Count(m => m.State.Repl.IsPrimary) == 1
                && found.All(m => Serving(m) && m.State.Profile.Version == version)
                && (status?["conditions"] as JsonArray)?.Any(c => c!["type"]!.ToString() == "Ready" && c["status"]!.ToString() == "True") == true;
        }, ok => ok, $"{members} serving members on {version} and the resource Ready", ct, Slow);
        return found;
    }

    private static int[] Ids(MongodSimulatorHost m) => [.. m.State.Data.Scan("phi.records").Select(d => d["_id"].ToInt32()).Order()];

    internal static bool Serving(MongodSimulatorHost m) => m.State.Repl.State is MemberState.Primary or MemberState.Secondary;

    internal static async Task<IReadOnlyList<(V1Pod Pod, MongodSimulatorHost Host)>> PodsAsync(OperatorHarness h, CancellationToken ct) =>
        [.. (await h.Client.CoreV1.ListNamespacedPodAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .Select(p => (p, h.Mongods.HostOf(p.Metadata.Uid)))
            .Where(t => t.Item2 is not null)
            .Select(t => (t.p, t.Item2!))];

    internal static async Task<IReadOnlyList<MongodSimulatorHost>> RunningAsync(OperatorHarness h, CancellationToken ct) =>
        [.. (await PodsAsync(h, ct)).Select(t => t.Host)];

    private static async Task<string> PodOfAsync(OperatorHarness h, MongodSimulatorHost member, CancellationToken ct) =>
        (await PodsAsync(h, ct)).Single(t => ReferenceEquals(t.Host, member)).Pod.Metadata.Name;

    // Every ~100 ms: null when at most one voting member of the newest config is not serving, else what was seen.
    internal static async Task SampleAsync(OperatorHarness h, ConcurrentQueue<string?> samples, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var running = await RunningAsync(h, ct);
                var config = running.Select(m => m.State.Repl.Config).OfType<BsonDocument>().MaxBy(c => c["version"].ToInt32());
                if (config is not null)
                {
                    var serving = running.Where(Serving).SelectMany(m => m.State.Repl.SelfNames.Append(m.State.Repl.Me))
                        .ToHashSet(StringComparer.OrdinalIgnoreCase);
                    var voters = config["members"].AsBsonArray.Where(m => m["votes"].ToInt32() > 0).Select(m => m["host"].AsString).ToList();
                    var down = voters.Where(v => !serving.Contains(v)).ToList();
                    samples.Enqueue(down.Count <= 1 ? null : $"{down.Count} voters down: {string.Join(", ", down)}");
                }
                await Task.Delay(100, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    // As a client would: {w: "majority"} inserts to whichever member is primary now, each with a new _id; one that
    // fails (no primary during the step-down's election, a member going away) is not acknowledged and not retried.
    private static async Task WriteAsync(OperatorHarness h, ConcurrentBag<int> acknowledged, CancellationToken ct)
    {
        for (var id = 0; !ct.IsCancellationRequested; id++)
        {
            try
            {
                var primary = (await PodsAsync(h, ct)).FirstOrDefault(t => t.Host.State.Repl.IsPrimary);
                if (primary.Pod is null)
                {
                    await Task.Delay(100, ct);
                    continue;
                }
                var reply = await PersonWithOperatorCertificate.RunWithAsync(h.Client, OperatorHarness.Namespace, $"{OperatorHarness.Name}-member-tls",
                    primary.Pod.Status.PodIP, "phi", new BsonDocument
                    {
                        { "insert", "records" },
                        { "documents", new BsonArray { new BsonDocument { { "_id", id }, { "patient", $"p-{id}" } } } },
                        { "writeConcern", new BsonDocument { { "w", "majority" }, { "wtimeout", 10000 } } },
                    }, ct);
                if (reply.GetValue("ok", 0).ToDouble() == 1 && reply.GetValue("n", 0).ToInt32() == 1 && !reply.Contains("writeConcernError")
                    && !reply.Contains("writeErrors"))
                {
                    acknowledged.Add(id);
                }
                await Task.Delay(50, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Not acknowledged: the id is never reused, so a write applied without its acknowledgement is not counted.
            }
        }
    }

    private static Task<object> PatchVersionAsync(OperatorHarness h, string version, CancellationToken ct) =>
        h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject { ["spec"] = new JsonObject { ["version"] = version } }.ToJsonString(), V1Patch.PatchType.MergePatch),
            Entities.ApiGroup.Group, Entities.ApiGroup.Version, OperatorHarness.Namespace, Entities.ApiGroup.Plural, OperatorHarness.Name,
            cancellationToken: ct);
}
