using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Apply;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// Server faults during creation that Server_errors_during_creation_still_converge does not cover: 409
/// Conflict on a child's update and patch and on the status patch, and 410 Gone on the informers' watches, both as
/// the watch cache sends it (an ERROR event) and as an HTTP 410. Each test checks the end state and that the fault fired.
/// </summary>
[Trait(Tier.Name, Tier.Chaos)]
public sealed class ChaosTests
{
    private static readonly string ConfigName = OperatorHarness.Name + "-mongod-config";
    private static readonly string EvidenceName = OperatorHarness.Name + "-compliance-evidence";

    // Every kind the operator's informers watch, as LocalCluster's audit names it.
    private static readonly string[] WatchedKinds =
    [
        "hipaamongos", "serviceaccounts", "configmaps", "networkpolicies", "services", "statefulsets",
        "poddisruptionbudgets", "certificates", "issuers", "pods",
    ];

    [Fact(Timeout = 60_000)]
    public async Task Conflicts_on_child_update_and_patch_and_on_the_status_patch_still_converge()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        // A leftover ConfigMap with a key we do not render: the first pass must PUT it whole (apply cannot remove a key).
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = ConfigName },
            Data = new Dictionary<string, string> { ["mongod.conf"] = "net:\n  tls:\n    mode: disabled\n", ["extra.conf"] = "x" },
        }, OperatorHarness.Namespace, cancellationToken: ct);
        h.Server.Faults.Add(new Fault("update", "configmaps", 409, Times: 1, Name: ConfigName));
        h.Server.Faults.Add(new Fault("patch", "configmaps", 409, Times: 1, Name: EvidenceName));
        h.Server.Faults.Add(new Fault("patch", "hipaamongos", 409, Times: 1) { Subresource = "status" });

        await h.CreateAsync(OperatorHarness.Sample(), ct);

        await WaitConvergedAsync(h, ct);
        var config = await h.Client.CoreV1.ReadNamespacedConfigMapAsync(ConfigName, OperatorHarness.Namespace, cancellationToken: ct);
        Assert.DoesNotContain("extra.conf", config.Data.Keys);
        Assert.DoesNotContain("mode: disabled", config.Data["mongod.conf"], StringComparison.Ordinal);
        // The evidence is written after the status in the same pass (act order: status, evidence, Events): wait for it.
        await OperatorHarness.EventuallyAsync(async () => (await h.Client.CoreV1.ListNamespacedConfigMapAsync(OperatorHarness.Namespace,
            cancellationToken: ct)).Items.Any(m => m.Metadata.Name == EvidenceName), found => found, "the evidence ConfigMap", ct);
        var records = h.Server.AuditTrail.Records;
        Assert.Contains(records, r => r is { Verb: "update", Resource: "configmaps", Code: 409 } && r.Name == ConfigName);
        Assert.Contains(records, r => r is { Verb: "update", Resource: "configmaps", Code: 200 } && r.Name == ConfigName);
        Assert.Contains(records, r => r is { Verb: "patch", Resource: "configmaps", Code: 409 } && r.Name == EvidenceName);
        Assert.Contains(records, r => r is { Verb: "patch", Resource: "hipaamongos", Subresource: "status", Code: 409 });
        Assert.Contains(records, r => r is { Verb: "patch", Resource: "hipaamongos", Subresource: "status", Code: 200 });
    }

    [Fact(Timeout = 60_000)]
    public async Task Watches_expired_with_an_error_event_during_creation_relist_and_converge()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.WaitForCachesAsync(ct);
        var listsBefore = ListsByKind(h);
        // One expiry for every informer's next watch, sent as the watch cache sends it (HTTP 200, one ERROR event).
        foreach (var kind in WatchedKinds)
        {
            h.Server.Faults.Add(new Fault("watch", kind, 410, Times: 1));
        }

        await h.CreateAsync(OperatorHarness.Sample(), ct);
        h.Server.DropAllWatches(); // while the first pass creates the children: every informer watches again and gets 410

        await WaitConvergedAsync(h, ct);
        // An informer re-lists only after a 410, so one more list of each kind proves each expiry fired and was handled.
        await WaitRelistedAsync(h, listsBefore, ct);
        await CorrectionStillWorksAsync(h, ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task Watches_refused_with_http_410_during_creation_relist_and_converge()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.WaitForCachesAsync(ct);
        var listsBefore = ListsByKind(h);
        foreach (var kind in WatchedKinds)
        {
            h.Server.Faults.Add(new Fault("watch", kind, 410, Times: 1) { WatchAsHttpStatus = true });
        }

        await h.CreateAsync(OperatorHarness.Sample(), ct);
        h.Server.DropAllWatches();

        await WaitConvergedAsync(h, ct);
        var refused = await OperatorHarness.EventuallyAsync(
            () => Task.FromResult(h.Server.AuditTrail.Records.Where(r => r is { Verb: "watch", Code: 410 }).Select(r => r.Resource).ToHashSet()),
            kinds => kinds.Count == WatchedKinds.Length, "an HTTP 410 on every watched kind's watch", ct);
        Assert.Equal(WatchedKinds.Order(), refused.Order());
        await WaitRelistedAsync(h, listsBefore, ct);
        await CorrectionStillWorksAsync(h, ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_real_compaction_during_creation_still_converges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.WaitForCachesAsync(ct);
        var listsBefore = ListsByKind(h).Values.Sum();

        await h.CreateAsync(OperatorHarness.Sample(), ct);
        // LocalCluster forgets its history and closes every watch: informers resuming from a compacted version get
        // the watch cache's own 410 ERROR event (no injection).
        h.Server.Compact();
        h.Server.DropAllWatches();

        await WaitConvergedAsync(h, ct);
        await OperatorHarness.EventuallyAsync(() => Task.FromResult(ListsByKind(h).Values.Sum()), after => after > listsBefore,
            "a re-list after the compaction", ct);
        await CorrectionStillWorksAsync(h, ct);
    }

    // The end state: observedGeneration caught up and every desired child present.
    private static async Task WaitConvergedAsync(OperatorHarness h, CancellationToken ct)
    {
        var resource = await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct),
            r => r["status"]?["observedGeneration"]?.GetValue<long>() == r["metadata"]!["generation"]!.GetValue<long>(),
            "status.observedGeneration == metadata.generation", ct);
        var parsed = KubernetesJson.Deserialize<HipaaMongoResource>(resource.ToJsonString());
        foreach (var desired in DesiredStateRenderer.Render(parsed).Objects)
        {
            await OperatorHarness.EventuallyAsync(() => GetAsync(h, desired, ct), o => o is not null, $"{desired.Kind} {desired.Metadata.Name}", ct);
        }
        // The pass our own writes start reads the (re-listed) caches and proves the network controls.
        await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.NetworkIsolated, ct),
            c => c?["status"]?.GetValue<string>() == "True", "NetworkIsolated=True", ct);
    }

    // After the faults the informers must be live again: a deleted policy comes back from its watch event.
    private static async Task CorrectionStillWorksAsync(OperatorHarness h, CancellationToken ct)
    {
        var name = OperatorHarness.Name + "-default-deny";
        var before = await h.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(name, OperatorHarness.Namespace, cancellationToken: ct);
        await h.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(name, OperatorHarness.Namespace, cancellationToken: ct);
        await OperatorHarness.EventuallyAsync(() => ReadPolicyUidAsync(h, name, ct), uid => uid is not null && uid != before.Metadata.Uid,
            "default-deny policy recreated", ct);
    }

    // Every watched kind was listed again since listsBefore was counted.
    private static Task<Dictionary<string, int>> WaitRelistedAsync(OperatorHarness h, Dictionary<string, int> listsBefore, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync(() => Task.FromResult(ListsByKind(h)),
            after => WatchedKinds.All(k => after.GetValueOrDefault(k) > listsBefore.GetValueOrDefault(k)), "a re-list of every watched kind", ct);

    private static Dictionary<string, int> ListsByKind(OperatorHarness h) =>
        h.Server.AuditTrail.Records.Where(r => r.Verb == "list").GroupBy(r => r.Resource).ToDictionary(g => g.Key, g => g.Count());

    private static async Task<string?> ReadPolicyUidAsync(OperatorHarness h, string name, CancellationToken ct)
    {
        try
        {
            return (await h.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(name, OperatorHarness.Namespace, cancellationToken: ct)).Metadata.Uid;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<JsonObject?> GetAsync(OperatorHarness h, IKubernetesObject<V1ObjectMeta> desired, CancellationToken ct)
    {
        var path = ResourceKinds.Of(desired);
        try
        {
            var obj = await h.Client.CustomObjects.GetNamespacedCustomObjectAsync(path.Group, path.Version,
                desired.Metadata.NamespaceProperty, path.Plural, desired.Metadata.Name, ct);
            return JsonNode.Parse(((JsonElement)obj).GetRawText())!.AsObject();
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
