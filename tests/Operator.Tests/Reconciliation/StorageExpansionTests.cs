using System.Text.Json.Nodes;
using HipaaMongo.ClusterSimulations;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// A larger spec.storage.size on LocalCluster with the StatefulSet and PV controllers simulated: each claim grows
/// (the StorageClass allows it), the StatefulSet is re-created at the new size with its pods left running (the same
/// pod uids, adopted by the new set); where the class does not allow expansion, Stalled names the class, nothing is
/// resized or deleted, and the other children are still brought to their render.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class StorageExpansionTests
{
    private const string Sts = "phi-db"; // OperatorHarness.Name

    [Fact(Timeout = 120_000)]
    public async Task Growth_resizes_every_claim_and_recreates_the_statefulset_without_touching_its_pods()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System),
            simulations: SimulationKinds.All);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        var claims = await BoundClaimsAsync(h, "50Gi", ct);
        var set = await h.Client.AppsV1.ReadNamespacedStatefulSetAsync(Sts, OperatorHarness.Namespace, cancellationToken: ct);
        var pods = await PodUidsAsync(h, ct);

        await PatchSizeAsync(h, "60Gi", ct);

        var grown = await OperatorHarness.EventuallyAsync(() => ClaimsAsync(h, ct),
            cs => cs.Count == claims.Count && cs.All(c => Capacity(c) == "60Gi" && Requested(c) == "60Gi"),
            "every claim resized and its capacity grown", ct);
        Assert.Equal(claims.Select(c => c.Metadata.Uid).Order(), grown.Select(c => c.Metadata.Uid).Order()); // resized, not re-made
        var recreated = (await OperatorHarness.EventuallyAsync(() => StatefulSetAsync(h, ct),
            s => s is not null && s.Metadata.Uid != set.Metadata.Uid && TemplateSize(s) == "60Gi", "the StatefulSet created again at 60Gi", ct))!;
        // The pods kept running (orphaned, never deleted) and the new set adopted them.
        var after = await OperatorHarness.EventuallyAsync(() => PodsAsync(h, ct),
            ps => ps.All(p => p.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Uid == recreated.Metadata.Uid) == true),
            "the running pods adopted by the new StatefulSet", ct);
        Assert.Equal(pods, after.Select(p => p.Metadata.Uid).Order(StringComparer.Ordinal).ToList());
        Assert.DoesNotContain(h.Server.AuditTrail.Writes, w => w.Resource == "pods" && w.Verb == "delete");
        var events = await h.EventsAsync(ct);
        var expanding = Assert.Single(events, e => e.Reason == ConditionReasons.StorageExpanding);
        Assert.Equal("Normal", expanding.Type);
        Assert.Contains("propagationPolicy Orphan", expanding.Message, StringComparison.Ordinal);
        await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.Reconciling, ct),
            c => c is null || c["reason"]?.GetValue<string>() != ConditionReasons.StorageExpanding, "the expansion no longer in progress", ct);
        Assert.Null(await h.ConditionAsync(ConditionTypes.Stalled, ct));
    }

    [Fact(Timeout = 120_000)]
    public async Task Growth_on_a_class_without_expansion_stalls_naming_it_and_deletes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System),
            simulations: SimulationKinds.All);
        await h.Client.StorageV1.CreateStorageClassAsync(new V1StorageClass
        {
            Metadata = new V1ObjectMeta { Name = "fixed" },
            Provisioner = ClusterSimulations.Volumes.VolumeProvisioning.Provisioner,
            AllowVolumeExpansion = false,
        }, cancellationToken: ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["storage"]!["storageClassName"] = "fixed";
        await h.CreateAsync(sample, ct);
        await BoundClaimsAsync(h, "50Gi", ct);
        var set = await h.Client.AppsV1.ReadNamespacedStatefulSetAsync(Sts, OperatorHarness.Namespace, cancellationToken: ct);

        await h.Client.PolicyV1.DeleteNamespacedPodDisruptionBudgetAsync(Sts, OperatorHarness.Namespace, cancellationToken: ct);
        await PatchSizeAsync(h, "60Gi", ct);

        var stalled = await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.Stalled, ct),
            c => c?["reason"]?.GetValue<string>() == ConditionReasons.StorageExpansionUnsupported, "Stalled naming the class", ct);
        Assert.Contains("StorageClass fixed does not allow volume expansion", stalled!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        await OperatorHarness.EventuallyAsync(
            async () => (await h.Client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items,
            items => items.Any(p => p.Metadata.Name == Sts), "the PDB re-created while storage is refused", ct);
        // The Warning follows the status write in the same pass, so it is awaited, not read at once.
        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => es.Any(e => e.Reason == ConditionReasons.StorageExpansionUnsupported), "the StorageExpansionUnsupported Warning", ct);
        var warning = Assert.Single(events, e => e.Reason == ConditionReasons.StorageExpansionUnsupported);
        Assert.Equal("Warning", warning.Type);

        // Nothing resized, nothing deleted: the claims and the StatefulSet are as they were.
        Assert.All(await ClaimsAsync(h, ct), c => Assert.Equal("50Gi", Requested(c)));
        var now = await h.Client.AppsV1.ReadNamespacedStatefulSetAsync(Sts, OperatorHarness.Namespace, cancellationToken: ct);
        Assert.Equal(set.Metadata.Uid, now.Metadata.Uid);
        Assert.Equal("50Gi", TemplateSize(now));
        Assert.DoesNotContain(h.Server.AuditTrail.Writes, w => w.Resource == "persistentvolumeclaims" && w.Verb == "patch");
        Assert.DoesNotContain(h.Server.AuditTrail.Writes, w => w.Resource == "statefulsets" && w.Verb == "delete");
    }

    private static async Task<IReadOnlyList<V1PersistentVolumeClaim>> BoundClaimsAsync(OperatorHarness h, string size, CancellationToken ct) =>
        await OperatorHarness.EventuallyAsync(() => ClaimsAsync(h, ct),
            cs => cs.Count == 3 && cs.All(c => c.Status?.Phase == "Bound" && Capacity(c) == size), "three data claims bound", ct,
            TimeSpan.FromSeconds(60));

    private static async Task<IReadOnlyList<V1PersistentVolumeClaim>> ClaimsAsync(OperatorHarness h, CancellationToken ct) =>
        [.. (await h.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
            .Where(c => c.Metadata.Name.StartsWith("data-" + Sts + "-", StringComparison.Ordinal))];

    private static async Task<IReadOnlyList<V1Pod>> PodsAsync(OperatorHarness h, CancellationToken ct) =>
        [.. (await h.Client.CoreV1.ListNamespacedPodAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
            .Where(p => p.Metadata.Name.StartsWith(Sts + "-", StringComparison.Ordinal))];

    private static async Task<List<string>> PodUidsAsync(OperatorHarness h, CancellationToken ct) =>
        [.. (await OperatorHarness.EventuallyAsync(() => PodsAsync(h, ct), ps => ps.Count == 3, "three member pods", ct))
            .Select(p => p.Metadata.Uid).Order(StringComparer.Ordinal)];

    private static async Task PatchSizeAsync(OperatorHarness h, string size, CancellationToken ct)
    {
        var patch = new JsonObject { ["spec"] = new JsonObject { ["storage"] = new JsonObject { ["size"] = size } } };
        await h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            ApiGroup.Group, ApiGroup.Version, OperatorHarness.Namespace, ApiGroup.Plural, OperatorHarness.Name, cancellationToken: ct);
    }

    // Null while it is gone (between the orphaning delete and its creation).
    private static async Task<V1StatefulSet?> StatefulSetAsync(OperatorHarness h, CancellationToken ct) =>
        (await h.Client.AppsV1.ListNamespacedStatefulSetAsync(OperatorHarness.Namespace, cancellationToken: ct)).Items
            .FirstOrDefault(s => s.Metadata.Name == Sts);

    private static string? Requested(V1PersistentVolumeClaim c) =>
        c.Spec.Resources?.Requests?.TryGetValue("storage", out var q) == true ? q.ToString() : null;

    private static string? Capacity(V1PersistentVolumeClaim c) =>
        c.Status?.Capacity?.TryGetValue("storage", out var q) == true ? q.ToString() : null;

    private static string? TemplateSize(V1StatefulSet s) =>
        s.Spec.VolumeClaimTemplates?.FirstOrDefault()?.Spec.Resources?.Requests?.TryGetValue("storage", out var q) == true ? q.ToString() : null;
}
