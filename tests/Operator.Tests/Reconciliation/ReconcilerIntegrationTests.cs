using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Apply;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>The reconciler end to end: the operator hosted against an in-process LocalCluster.</summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class ReconcilerIntegrationTests
{
    private static readonly ObjectKey Key = new(OperatorHarness.Namespace, OperatorHarness.Name);

    [Fact(Timeout = 60_000)]
    public async Task New_resource_gets_every_desired_object_and_status()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);

        var resource = await WaitObservedAsync(h, ct);
        var uid = resource["metadata"]!["uid"]!.GetValue<string>();
        foreach (var desired in DesiredStateRenderer.Render(Parse(resource)).Objects)
        {
            var live = await OperatorHarness.EventuallyAsync(() => GetAsync(h, desired, ct), o => o is not null,
                $"{desired.Kind} {desired.Metadata.Name}", ct);
            var owner = Assert.Single(live!["metadata"]!["ownerReferences"]!.AsArray());
            Assert.Equal(uid, owner!["uid"]!.GetValue<string>());
            Assert.True(owner["controller"]!.GetValue<bool>());
        }

        Assert.Equal(resource["metadata"]!["generation"]!.GetValue<long>(), resource["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.Contains("hipaa.mongooperator.io/finalizer", resource["metadata"]!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));
        // No StatefulSet controller runs here, so no member is ready: kstatus says Ready=False and Reconciling=True.
        var ready = await h.ConditionAsync(ConditionTypes.Ready, ct);
        Assert.Equal("False", ready!["status"]!.GetValue<string>());
        Assert.Equal(ConditionReasons.MembersNotReady, ready["reason"]!.GetValue<string>());
        Assert.Equal("True", (await h.ConditionAsync(ConditionTypes.Reconciling, ct))!["status"]!.GetValue<string>());
        Assert.Null(await h.ConditionAsync(ConditionTypes.Stalled, ct));
        // The first pass of a generation proves nothing about isolation (Unknown); the pass our writes trigger does.
        await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.NetworkIsolated, ct),
            c => c?["status"]?.GetValue<string>() == "True", "NetworkIsolated=True", ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task Operator_converges_and_corrects_drift_under_the_config_rbac_role()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct, rbac: true);
        await h.CreateAsync(OperatorHarness.Sample(), ct);

        var resource = await WaitObservedAsync(h, ct);
        foreach (var desired in DesiredStateRenderer.Render(Parse(resource)).Objects)
        {
            await OperatorHarness.EventuallyAsync(() => GetAsync(h, desired, ct), o => o is not null, $"{desired.Kind} {desired.Metadata.Name}", ct);
        }
        var policyName = OperatorHarness.Name + "-default-deny";
        await h.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(policyName, OperatorHarness.Namespace, cancellationToken: ct);
        await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct), es => es.Any(e => e.Reason == "NetworkPolicyMissing"),
            "NetworkPolicyMissing event", ct);
        Assert.NotNull(await ReadPolicyAsync(h, policyName, ct));

        var operatorUser = $"system:serviceaccount:{OperatorHarness.OperatorNamespace}:{OperatorHarness.OperatorAccount}";
        var mine = h.Server.AuditTrail.Records.Where(r => r.User == operatorUser).ToList();
        Assert.NotEmpty(mine);
        Assert.DoesNotContain(mine, r => r.Code == 403);
    }

    [Fact(Timeout = 60_000)]
    public async Task Deleted_default_deny_policy_is_recreated_with_an_event()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitObservedAsync(h, ct);
        var policyName = OperatorHarness.Name + "-default-deny";
        var before = await OperatorHarness.EventuallyAsync(() => ReadPolicyAsync(h, policyName, ct), p => p is not null, "default-deny policy", ct);

        await h.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(policyName, OperatorHarness.Namespace, cancellationToken: ct);

        var after = await OperatorHarness.EventuallyAsync(() => ReadPolicyAsync(h, policyName, ct),
            p => p is not null && p.Metadata.Uid != before!.Metadata.Uid, "default-deny policy recreated", ct);
        Assert.Equal(["Ingress", "Egress"], after!.Spec.PolicyTypes);
        Assert.Empty(after.Spec.Ingress ?? []);
        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => es.Any(e => e.Reason == "NetworkPolicyMissing"), "NetworkPolicyMissing event", ct);
        var evt = events.First(e => e.Reason == "NetworkPolicyMissing");
        Assert.Equal("Warning", evt.Type);
        Assert.Contains(policyName, evt.Message);
        Assert.Contains("NetworkPolicy", evt.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task Edited_config_is_restored_by_apply_with_an_event()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitObservedAsync(h, ct);
        var name = OperatorHarness.Name + "-mongod-config";
        var original = await OperatorHarness.EventuallyAsync(() => ReadConfigMapAsync(h, name, ct), c => c is not null, "ConfigMap", ct);
        var conf = original!.Data["mongod.conf"];

        var body = new JsonObject { ["data"] = new JsonObject { ["mongod.conf"] = "net:\n  tls:\n    mode: disabled\n" } };
        await h.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch), name,
            OperatorHarness.Namespace, cancellationToken: ct);

        await OperatorHarness.EventuallyAsync(() => ReadConfigMapAsync(h, name, ct), c => c?.Data["mongod.conf"] == conf,
            "mongod.conf restored", ct);
        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct), es => es.Any(e => e.Reason == "ConfigChanged"),
            "ConfigChanged event", ct);
        Assert.Contains(name, events.First(e => e.Reason == "ConfigChanged").Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task Key_added_to_config_is_removed_by_replace()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitObservedAsync(h, ct);
        var name = OperatorHarness.Name + "-mongod-config";
        await OperatorHarness.EventuallyAsync(() => ReadConfigMapAsync(h, name, ct), c => c is not null, "ConfigMap", ct);

        // The init container copies every key next to mongod.conf, so an added key is drift that apply cannot remove.
        var body = new JsonObject { ["data"] = new JsonObject { ["extra.conf"] = "setParameter:\n  enableLocalhostAuthBypass: true\n" } };
        await h.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body.ToJsonString(), V1Patch.PatchType.MergePatch), name,
            OperatorHarness.Namespace, cancellationToken: ct);

        var restored = await OperatorHarness.EventuallyAsync(() => ReadConfigMapAsync(h, name, ct),
            c => c is not null && !c.Data.ContainsKey("extra.conf"), "extra.conf removed", ct);
        Assert.Contains("mongod.conf", restored!.Data.Keys);
        Assert.Contains(h.Server.AuditTrail.Writes, w => w.Verb == "update" && w.Resource == "configmaps" && w.Name == name);
    }

    [Fact(Timeout = 60_000)]
    public async Task Foreign_policy_opening_the_pods_is_reported_not_deleted()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitObservedAsync(h, ct);
        await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.NetworkIsolated, ct),
            c => c?["status"]?.GetValue<string>() == "True", "NetworkIsolated=True", ct);

        // An empty podSelector selects every pod in the namespace, ours included; one empty ingress rule admits everything.
        var open = new V1NetworkPolicy
        {
            Metadata = new V1ObjectMeta { Name = "allow-all", NamespaceProperty = OperatorHarness.Namespace },
            Spec = new V1NetworkPolicySpec { PodSelector = new V1LabelSelector(), Ingress = [new V1NetworkPolicyIngressRule()] },
        };
        await h.Client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(open, OperatorHarness.Namespace, cancellationToken: ct);

        var isolated = await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.NetworkIsolated, ct),
            c => c?["status"]?.GetValue<string>() == "False", "NetworkIsolated=False", ct);
        Assert.Equal(ConditionReasons.DriftDetected, isolated!["reason"]!.GetValue<string>());
        Assert.Contains("allow-all", isolated["message"]!.GetValue<string>());
        await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct), es => es.Any(e => e.Reason == "ForeignNetworkPolicyOpensPods"),
            "ForeignNetworkPolicyOpensPods event", ct);
        Assert.NotNull(await ReadPolicyAsync(h, "allow-all", ct));
        Assert.DoesNotContain(h.Server.AuditTrail.Writes, w => w.Resource == "networkpolicies" && w.Name == "allow-all" && w.Verb != "create");
    }

    [Fact(Timeout = 60_000)]
    public async Task Deleting_with_retain_releases_the_finalizer_and_deletes_no_claim()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitObservedAsync(h, ct);
        var renders = h.Service<HipaaMongo.Operator.Reconciliation.Apply.DefaultedRenders>();
        Assert.True(renders.Count > 0, "the children's defaulted renders are cached");

        await h.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace,
            ApiGroup.Plural, OperatorHarness.Name, cancellationToken: ct);

        await OperatorHarness.EventuallyAsync(async () => await GetResourceOrNullAsync(h, ct), r => r is null, "HipaaMongo gone", ct);
        // Forgotten at finalization: nothing of a deleted resource stays in memory.
        await OperatorHarness.EventuallyAsync(() => Task.FromResult(renders.Count), n => n == 0, "the defaulted renders forgotten", ct);
        // Owned children go by garbage collection once the owner is gone.
        await OperatorHarness.EventuallyAsync(() => ReadPolicyAsync(h, OperatorHarness.Name + "-default-deny", ct), p => p is null,
            "default-deny policy collected", ct);
        Assert.DoesNotContain(h.Server.AuditTrail.Writes, w => w.Resource == "persistentvolumeclaims");
    }

    [Fact(Timeout = 60_000)]
    public async Task Reconcile_with_nothing_changed_makes_zero_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitSettledAsync(h, ct);
        // Let the pass triggered by our own writes' watch events settle (caches catch up), then measure one more.
        await h.PassAsync(ct);
        var writesBefore = h.Server.AuditTrail.Writes.Count;
        var readsBefore = h.Server.AuditTrail.Records.Count;

        var result = await h.PassAsync(ct);

        var newWrites = h.Server.AuditTrail.Writes.Skip(writesBefore).Select(w => $"{w.Verb} {w.Resource} {w.Name}").ToList();
        Assert.Empty(newWrites);
        Assert.Equal(TimeSpan.FromSeconds(60), result.After); // the default verification interval
        Assert.True(h.Server.AuditTrail.Records.Count >= readsBefore); // reads (cert-manager GETs) are allowed
    }

    [Fact(Timeout = 60_000)]
    public async Task Restarted_operator_makes_zero_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitSettledAsync(h, ct);
        await h.PassAsync(ct); // settle the passes our own writes triggered

        var writesBefore = h.Server.AuditTrail.Writes.Count;
        await h.RestartOperatorAsync(ct);
        await h.WaitForCachesAsync(ct);
        // The fresh operator's first pass comes from its initial list; this one, queued behind it on the same
        // cold-started caches, proves that neither writes anything.
        await h.PassAsync(ct);

        Assert.Empty(h.Server.AuditTrail.Writes.Skip(writesBefore).Select(w => $"{w.Verb} {w.Resource} {w.Name}"));
    }

    [Fact(Timeout = 60_000)]
    public async Task Server_errors_during_creation_still_converge()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        h.Server.Faults.Add(new Fault("create", "networkpolicies", 500, Times: 2));
        h.Server.Faults.Add(new Fault("create", "statefulsets", 409, Times: 1));
        h.Server.Faults.Add(new Fault("patch", "hipaamongos", 429, Times: 1));

        await h.CreateAsync(OperatorHarness.Sample(), ct);

        var resource = await WaitObservedAsync(h, ct);
        foreach (var desired in DesiredStateRenderer.Render(Parse(resource)).Objects)
        {
            await OperatorHarness.EventuallyAsync(() => GetAsync(h, desired, ct), o => o is not null, $"{desired.Kind} {desired.Metadata.Name}", ct);
        }
        Assert.Contains(h.Server.AuditTrail.Records, r => r.Resource == "networkpolicies" && r.Code == 500);
    }

    [Fact(Timeout = 60_000)]
    public async Task Drift_after_dropped_watches_is_still_corrected()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitObservedAsync(h, ct);
        var policyName = OperatorHarness.Name + "-members";
        var before = await OperatorHarness.EventuallyAsync(() => ReadPolicyAsync(h, policyName, ct), p => p is not null, "members policy", ct);

        h.Server.DropAllWatches(); // every informer must re-watch from its last resourceVersion
        await h.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(policyName, OperatorHarness.Namespace, cancellationToken: ct);

        await OperatorHarness.EventuallyAsync(() => ReadPolicyAsync(h, policyName, ct),
            p => p is not null && p.Metadata.Uid != before!.Metadata.Uid, "members policy recreated", ct);
    }

    [Fact(Timeout = 60_000)]
    public async Task Invalid_spec_goes_stalled_and_writes_no_child()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        var sample = OperatorHarness.Sample();
        // Admission (CRD pattern) accepts each entry; the validator refuses two ports (mongod takes one).
        sample["spec"]!["encryption"]!["kmip"]!["servers"] = new JsonArray("kmip-a.example.org:5696", "kmip-b.example.org:5697");
        await h.CreateAsync(sample, ct);

        var stalled = await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.Stalled, ct),
            c => c?["status"]?.GetValue<string>() == "True", "Stalled=True", ct);
        Assert.Equal(ConditionReasons.SpecInvalid, stalled!["reason"]!.GetValue<string>());
        Assert.Contains("spec.encryption.kmip.servers[1]", stalled["message"]!.GetValue<string>());
        var ready = await h.ConditionAsync(ConditionTypes.Ready, ct);
        Assert.Equal("False", ready!["status"]!.GetValue<string>());
        await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct), es => es.Any(e => e.Reason == ConditionReasons.SpecInvalid),
            "SpecInvalid event", ct);

        await h.PassAsync(ct); // a further pass repeats neither the status write nor the Event

        var childWrites = h.Server.AuditTrail.Writes
            .Where(w => w.Resource is not ("hipaamongos" or "events" or "namespaces" or "customresourcedefinitions"))
            .Select(w => $"{w.Verb} {w.Resource} {w.Name}").ToList();
        Assert.Empty(childWrites);
        var warning = Assert.Single(await h.EventsAsync(ct), e => e.Reason == ConditionReasons.SpecInvalid);
        Assert.Equal("Warning", warning.Type);
        Assert.Equal(1, warning.Count ?? 1);
        Assert.Contains("all KMIP servers must use the same port", warning.Message);
    }

    private static Task<JsonObject> WaitObservedAsync(OperatorHarness h, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct),
            r => r["status"]?["observedGeneration"] is not null && r["status"]!["conditions"] is JsonArray { Count: > 0 },
            "status.observedGeneration", ct);

    // The first pass of a generation leaves the Kubernetes controls unproven; the pass its own writes trigger proves them.
    private static async Task WaitSettledAsync(OperatorHarness h, CancellationToken ct)
    {
        await WaitObservedAsync(h, ct);
        await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.NetworkIsolated, ct),
            c => c?["status"]?.GetValue<string>() == "True", "NetworkIsolated=True", ct);
    }

    private static HipaaMongoResource Parse(JsonObject json) => KubernetesJson.Deserialize<HipaaMongoResource>(json.ToJsonString());

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

    private static async Task<JsonObject?> GetResourceOrNullAsync(OperatorHarness h, CancellationToken ct)
    {
        try
        {
            return await h.GetResourceAsync(ct);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<V1ConfigMap?> ReadConfigMapAsync(OperatorHarness h, string name, CancellationToken ct)
    {
        try
        {
            return await h.Client.CoreV1.ReadNamespacedConfigMapAsync(name, OperatorHarness.Namespace, cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task<V1NetworkPolicy?> ReadPolicyAsync(OperatorHarness h, string name, CancellationToken ct)
    {
        try
        {
            return await h.Client.NetworkingV1.ReadNamespacedNetworkPolicyAsync(name, OperatorHarness.Namespace, cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
