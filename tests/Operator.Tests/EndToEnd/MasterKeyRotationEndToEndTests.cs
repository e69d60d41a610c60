using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using HipaaMongo.Kmip;
using HipaaMongo.Kmip.Tests;
using HipaaMongo.MongodSimulator.Server;
using HipaaMongo.Operator.Reporting;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// A master-key rotation requested in the spec, on the simulated cluster whose members get their keys from a real
/// PyKMIP server. Asserted from the mongod simulators, PyKMIP and the API server: every member ends on a new Active key
/// that is not the one it had, the pods were deleted one at a time by the operator (each once, the first primary's
/// last; a sampler never finds two voters down), and the status, the Events and the evidence ledger name both ids.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class MasterKeyRotationEndToEndTests(PyKmipServer kmip) : IClassFixture<PyKmipServer>
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(240);

    private static JsonObject PerconaSample()
    {
        var sample = OperatorHarness.Sample();
        sample["spec"]!["edition"] = "Percona";
        sample["spec"]!["version"] = "8.0.12";
        sample["spec"]!["image"] = "percona/percona-server-mongodb:8.0.12-4";
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        return sample;
    }

    [Fact]
    public async Task A_rotation_request_moves_every_member_to_a_new_key_one_at_a_time_with_both_ids_in_the_evidence()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct, kmip: KmipPeer.Of(kmip));
        await h.CreateAsync(PerconaSample(), ct);
        var before = await KeysAsync(h, keys => keys.Count == 3 && keys.Values.All(k => k is not null), ct);
        await UntilStatusShowsAsync(h, before, ct);
        var firstPrimary = (await RolloutTests.PodsAsync(h, ct)).Single(t => t.Host.State.Repl.IsPrimary).Pod.Metadata.Name;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var samples = new ConcurrentQueue<string?>();
        var sampler = Task.Run(() => RolloutTests.SampleAsync(h, samples, stop.Token), CancellationToken.None);
        var started = DateTimeOffset.UtcNow;
        await RequestRotationAsync(h, "2026-12-07T19:00:00Z", ct);
        var after = await KeysAsync(h, keys => keys.Count == 3 && keys.All(k => k.Value is not null && k.Value != before.GetValueOrDefault(k.Key)), ct);
        await UntilStatusShowsAsync(h, after, ct);
        await stop.CancelAsync();
        await sampler;

        Assert.Equal(3, after.Values.Distinct().Count()); // each member made its own new key
        var client = Client();
        foreach (var (pod, key) in after)
        {
            Assert.Equal(KeyState.Active, await client.GetStateAsync(key!, ct));
        }
        Assert.NotEmpty(samples);
        Assert.Empty(samples.Where(s => s is not null).Distinct());
        var deletions = h.Server.AuditTrail.Writes
            .Where(r => r is { Verb: "delete", Resource: "pods", Namespace: "clinical", Code: >= 200 and < 300 } && r.Time >= started)
            .Select(r => r.Name!).ToList();
        Assert.Equal(3, deletions.Count);
        Assert.Equal(3, deletions.Distinct().Count());
        Assert.Equal(firstPrimary, deletions[^1]);

        var rotatedEvents = (await h.EventsAsync(ct)).Where(e => e.Reason == "MasterKeyRotated").Select(e => e.Message).ToList();
        Assert.Equal(after.Select(k => $"{k.Key} now runs on KMIP master key {k.Value} (was {before[k.Key]})").Order(), rotatedEvents.Order());
        var ledger = await OperatorHarness.EventuallyAsync(() => LedgerAsync(h, ct),
            l => after.All(k => l.Any(c => c.Kind == "MasterKeyRotated" && c.Target == $"Pod {k.Key} KMIP master key"
                && c.Detail == $"key id {before[k.Key]} -> {k.Value}")), "both key ids of every member in the evidence ledger", ct, Slow);
        Assert.Equal(3, ledger.Count(c => c.Kind == "MasterKeyRotated"));
    }

    // The KMIP server stops answering the members before the request: the first member to restart cannot rotate, the
    // rollout halts there with mongod's reason and touches no other member; when the server answers again it finishes.
    [Fact]
    public async Task With_no_kmip_server_answering_the_rollout_halts_after_the_first_member_with_mongods_reason_and_resumes()
    {
        var ct = TestContext.Current.CancellationToken;
        var peer = KmipPeer.Of(kmip);
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct, kmip: peer);
        await h.CreateAsync(PerconaSample(), ct);
        var before = await KeysAsync(h, keys => keys.Count == 3 && keys.Values.All(k => k is not null), ct);
        await UntilStatusShowsAsync(h, before, ct);

        peer.ReachableFromMembers = false;
        var started = DateTimeOffset.UtcNow;
        await RequestRotationAsync(h, "2026-12-07T20:00:00Z", ct);
        var stalled = await OperatorHarness.EventuallyAsync(() => h.ConditionAsync("Stalled", ct),
            c => c?["reason"]?.ToString() == "RolloutHalted", "the rollout halted", ct, Slow);
        var why = stalled!["message"]!.ToString();
        Assert.True(why.Contains("Can't connect to any of KMIP servers", StringComparison.Ordinal)
            && why.Contains("--kmipRotateMasterKey", StringComparison.Ordinal), why); // the simulated kubelet shows a failed init step on the pod's mongod
        var halted = (await h.EventsAsync(ct)).Where(e => e.Reason == "RolloutHalted").ToList();
        Assert.Single(halted);
        Assert.Equal("Warning", halted[0].Type);
        Deletions(h, started, 1);
        var untouched = await KeysAsync(h, keys => keys.Count == 2, ct);
        Assert.All(untouched, k => Assert.Equal(before[k.Key], k.Value)); // the two members not restarted keep their key and serve

        peer.ReachableFromMembers = true;
        var after = await KeysAsync(h, keys => keys.Count == 3 && keys.All(k => k.Value is not null && k.Value != before.GetValueOrDefault(k.Key)), ct);
        Assert.Equal(3, after.Values.Distinct().Count());
        Deletions(h, started, 3);
    }

    private static void Deletions(OperatorHarness h, DateTimeOffset since, int expected)
    {
        var deletions = h.Server.AuditTrail.Writes
            .Where(r => r is { Verb: "delete", Resource: "pods", Namespace: "clinical", Code: >= 200 and < 300 } && r.Time >= since)
            .Select(r => r.Name!).ToList();
        Assert.Equal(expected, deletions.Count);
        Assert.Equal(expected, deletions.Distinct().Count());
    }

    private KmipClient Client() => new(new Kmip.Transport.KmipTlsOptions
    {
        Host = "127.0.0.1",
        Port = kmip.Port,
        ClientCertificate = kmip.Pki.ClientWithKey(),
        TrustedCas = [kmip.Pki.Ca],
    });

    // The key id each running member's simulator holds, by pod name.
    private static async Task<Dictionary<string, string?>> KeysAsync(OperatorHarness h, Func<Dictionary<string, string?>, bool> done, CancellationToken ct)
    {
        try
        {
            return await OperatorHarness.EventuallyAsync(async () => (await RolloutTests.PodsAsync(h, ct))
                    .Where(t => RolloutTests.Serving(t.Host))
                    .ToDictionary(t => t.Pod.Metadata.Name, t => t.Host.State.MasterKeyId),
                done, "3 serving members on the expected keys", ct, Slow);
        }
        catch (Exception e) when (e.Message.StartsWith("timed out", StringComparison.Ordinal))
        {
            Assert.Fail(e.Message + "\n" + await DescribeAsync(h, ct));
            throw;
        }
    }

    // What kubectl describe would show of the pods and the resource, for a failure's message.
    private static async Task<string> DescribeAsync(OperatorHarness h, CancellationToken ct)
    {
        var pods = (await h.Client.CoreV1.ListNamespacedPodAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items;
        var lines = pods.Select(p => $"{p.Metadata.Name} {p.Status?.Phase} " + string.Join("; ", (p.Status?.ContainerStatuses ?? [])
            .Select(c => $"{c.Name} ready={c.Ready} waiting={c.State?.Waiting?.Reason}:{c.State?.Waiting?.Message} last={c.LastState?.Terminated?.Message}")));
        var conditions = (await h.GetResourceAsync(ct))["status"]?["conditions"]?.ToJsonString();
        return string.Join("\n", lines) + "\n" + conditions;
    }

    // status.members[].kmipKeyId shows the keys the simulators hold, and previousKmipKeyId the ones before a rotation.
    private static Task<JsonArray?> UntilStatusShowsAsync(OperatorHarness h, Dictionary<string, string?> keys, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync(async () => (await h.GetResourceAsync(ct))["status"]?["members"] as JsonArray,
            members => members is not null && keys.All(k => members.Any(m => m!["name"]!.ToString() == k.Key && m["kmipKeyId"]?.ToString() == k.Value)),
            "the status shows each member's key", ct, Slow);

    private static Task<object> RequestRotationAsync(OperatorHarness h, string requestedAt, CancellationToken ct) =>
        h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["encryption"] = new JsonObject { ["kmip"] = new JsonObject { ["masterKeyRotation"] = new JsonObject { ["requestedAt"] = requestedAt } } },
            },
        }.ToJsonString(), V1Patch.PatchType.MergePatch), Entities.ApiGroup.Group, Entities.ApiGroup.Version, OperatorHarness.Namespace,
            Entities.ApiGroup.Plural, OperatorHarness.Name, cancellationToken: ct);

    private static async Task<IReadOnlyList<DriftCorrection>> LedgerAsync(OperatorHarness h, CancellationToken ct)
    {
        var map = await h.Client.CoreV1.ReadNamespacedConfigMapAsync(EvidenceRecord.ConfigMapName(OperatorHarness.Name), OperatorHarness.Namespace,
            cancellationToken: ct);
        return EvidenceRecordCodec.Deserialize(map.Data[EvidenceRecord.DataKey]).Corrections;
    }
}
