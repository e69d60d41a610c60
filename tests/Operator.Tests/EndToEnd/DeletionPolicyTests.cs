using System.Net;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// deletionPolicy end to end on the simulated cluster (StatefulSet controller, PV controller with a provisioner,
/// pvc-protection and pv-protection, LocalCluster's garbage collector). The issue: "Retain keeps PVCs and data;
/// Delete removes them only after the resource is gone"; the standards: the operator never loses data. A claim's
/// and a volume's uid are their data identity: a re-created claim of the same name would be a new, empty volume.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class DeletionPolicyTests
{
    // Generous: the machine is shared; every wait polls and ends as soon as the state is reached.
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(90);
    private const string Hold = "test.hipaa-mongo.io/hold";
    private static string Ns => OperatorHarness.Namespace;
    private static string Name => OperatorHarness.Name;

    [Fact]
    public async Task Retain_keeps_every_claim_and_volume_with_its_identity_after_the_resource_and_its_pods_are_gone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        await h.CreateAsync(Sample("Retain"), ct);
        var before = await BoundClaimsAsync(h, ct);
        var volumes = await VolumesAsync(h, before, ct);

        await h.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, Ns, ApiGroup.Plural, Name,
            cancellationToken: ct);
        await UntilAsync(async () => !await ResourceExistsAsync(h, ct), "the HipaaMongo gone", ct);
        await UntilAsync(async () => (await h.Client.CoreV1.ListNamespacedPodAsync(Ns, cancellationToken: ct)).Items.Count == 0, "its pods gone", ct);

        var after = await ClaimsAsync(h, ct);
        Assert.Equal(before.Select(c => (c.Metadata.Name, c.Metadata.Uid)), after.Select(c => (c.Metadata.Name, c.Metadata.Uid)));
        Assert.All(after, c => Assert.Null(c.Metadata.DeletionTimestamp));
        Assert.All(after, c => Assert.Null(c.Metadata.OwnerReferences));
        foreach (var (claim, volume) in volumes)
        {
            var live = await h.Client.CoreV1.ReadPersistentVolumeAsync(volume.Metadata.Name, cancellationToken: ct);
            Assert.Equal((volume.Metadata.Uid, "Bound", claim), (live.Metadata.Uid, live.Status.Phase, live.Spec.ClaimRef.Name));
        }
        var retained = Assert.Single(await h.EventsAsync(ct), e => e.Reason == "VolumesRetained");
        Assert.Equal("Normal", retained.Type);
        Assert.All(before, c => Assert.Contains(c.Metadata.Name, retained.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_removes_claims_and_then_volumes_only_once_the_resource_is_gone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        await h.CreateAsync(Sample("Delete"), ct);
        var before = await BoundClaimsAsync(h, ct);
        var volumes = await VolumesAsync(h, before, ct);
        // A second finalizer (as another controller's would) keeps the resource after the operator lets go.
        var uid = await AddHoldAsync(h, ct);

        await h.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, Ns, ApiGroup.Plural, Name,
            cancellationToken: ct);
        await UntilAsync(async () => (await FinalizersAsync(h, ct)).SequenceEqual([Hold]), "the operator's finalizer released", ct);

        // Handed over, but the resource still exists: every claim is still there, not even marked for deletion.
        var handed = await ClaimsAsync(h, ct);
        Assert.Equal(before.Select(c => c.Metadata.Uid), handed.Select(c => c.Metadata.Uid));
        foreach (var claim in handed)
        {
            Assert.Null(claim.Metadata.DeletionTimestamp);
            var owner = Assert.Single(claim.Metadata.OwnerReferences);
            Assert.Equal((ApiGroup.ApiVersion, ApiGroup.Kind, Name, uid, false, false),
                (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        }
        Assert.All(volumes, v => Assert.Null(v.Volume.Metadata.DeletionTimestamp));
        var handover = Assert.Single(await h.EventsAsync(ct), e => e.Reason == "VolumesHandedOver");
        Assert.All(before, c => Assert.Contains(c.Metadata.Name, handover.Message, StringComparison.Ordinal));

        await PatchResourceAsync(h, """{"metadata":{"finalizers":null}}""", ct);
        await UntilAsync(async () => !await ResourceExistsAsync(h, ct), "the HipaaMongo gone", ct);
        await UntilAsync(async () => (await ClaimsAsync(h, ct)).Count == 0, "its claims removed", ct);
        foreach (var (_, volume) in volumes)
        {
            await UntilAsync(async () => await VolumeGoneAsync(h, volume.Metadata.Name, ct), $"volume {volume.Metadata.Name} removed", ct);
        }
    }

    [Fact]
    public async Task A_failed_handover_keeps_the_finalizer_until_every_claim_is_handed_over()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        await h.CreateAsync(Sample("Delete"), ct);
        await BoundClaimsAsync(h, ct);
        var uid = await AddHoldAsync(h, ct);
        var failing = $"data-{Name}-1";
        h.Server.Faults.Add(new Fault("patch", "persistentvolumeclaims", 500, Name: failing));

        await h.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, Ns, ApiGroup.Plural, Name,
            cancellationToken: ct);
        var failed = await UntilAsync(async () => (await h.EventsAsync(ct)).FirstOrDefault(e => e.Reason == "VolumeHandoverFailed"),
            "a VolumeHandoverFailed Event", ct);
        Assert.Equal("Warning", failed.Type);
        Assert.Contains(failing, failed.Message, StringComparison.Ordinal);
        Assert.Contains("hipaa.mongooperator.io/finalizer", await FinalizersAsync(h, ct));
        Assert.Null((await ClaimsAsync(h, ct)).Single(c => c.Metadata.Name == failing).Metadata.OwnerReferences);

        h.Server.Faults.Clear();
        await UntilAsync(async () => (await FinalizersAsync(h, ct)).SequenceEqual([Hold]), "the finalizer released after a retry", ct);
        Assert.All(await ClaimsAsync(h, ct), c => Assert.Equal(uid, Assert.Single(c.Metadata.OwnerReferences).Uid));
    }

    [Fact]
    public async Task An_out_of_band_statefulset_delete_under_Delete_keeps_every_claim_and_the_set_comes_back_on_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        await h.CreateAsync(Sample("Delete"), ct);
        var before = await BoundClaimsAsync(h, ct);
        var set = await h.Client.AppsV1.ReadNamespacedStatefulSetAsync(Name, Ns, cancellationToken: ct);
        Assert.Equal("Retain", set.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted);

        await h.Client.AppsV1.DeleteNamespacedStatefulSetAsync(Name, Ns, cancellationToken: ct);
        var recreated = await UntilAsync(async () => await ReadSetAsync(h, ct) is { } s && s.Metadata.Uid != set.Metadata.Uid ? s : null,
            "the StatefulSet re-created by the operator", ct);
        await UntilAsync(async () => (await h.Client.CoreV1.ListNamespacedPodAsync(Ns, cancellationToken: ct)).Items
            .Count(p => p.Metadata.OwnerReferences?.Any(o => o.Uid == recreated.Metadata.Uid) == true && p.Status?.Phase == "Running") == 3,
            "three pods of the new set Running", ct);

        var after = await ClaimsAsync(h, ct);
        Assert.Equal(before.Select(c => (c.Metadata.Name, c.Metadata.Uid)), after.Select(c => (c.Metadata.Name, c.Metadata.Uid)));
        Assert.All(after, c => Assert.Null(c.Metadata.DeletionTimestamp));
        var pods = (await h.Client.CoreV1.ListNamespacedPodAsync(Ns, cancellationToken: ct)).Items;
        Assert.All(pods, p => Assert.Contains(p.Spec.Volumes, v => after.Any(c => c.Metadata.Name == v.PersistentVolumeClaim?.ClaimName)));
    }

    private static JsonObject Sample(string policy)
    {
        var sample = OperatorHarness.Sample();
        sample["spec"]!["deletionPolicy"] = policy;
        return sample;
    }

    // The three member claims, Bound (so each has its volume), ordered by name.
    private static async Task<IReadOnlyList<V1PersistentVolumeClaim>> BoundClaimsAsync(OperatorHarness h, CancellationToken ct) =>
        await UntilAsync(async () => await ClaimsAsync(h, ct) is { Count: 3 } c && c.All(x => x.Status?.Phase == "Bound") ? c : null,
            "three Bound member claims", ct);

    private static async Task<IReadOnlyList<V1PersistentVolumeClaim>> ClaimsAsync(OperatorHarness h, CancellationToken ct) =>
        [.. (await h.Client.CoreV1.ListNamespacedPersistentVolumeClaimAsync(Ns, cancellationToken: ct)).Items
            .Where(c => c.Metadata.Name.StartsWith($"data-{Name}-", StringComparison.Ordinal)).OrderBy(c => c.Metadata.Name, StringComparer.Ordinal)];

    private static async Task<List<(string Claim, V1PersistentVolume Volume)>> VolumesAsync(OperatorHarness h,
        IEnumerable<V1PersistentVolumeClaim> claims, CancellationToken ct)
    {
        var volumes = new List<(string, V1PersistentVolume)>();
        foreach (var claim in claims)
        {
            volumes.Add((claim.Metadata.Name, await h.Client.CoreV1.ReadPersistentVolumeAsync(claim.Spec.VolumeName, cancellationToken: ct)));
        }
        return volumes;
    }

    // Read-modify-write guarded by resourceVersion; the operator writes the resource too, so a 409 means read again.
    private static async Task<string> AddHoldAsync(OperatorHarness h, CancellationToken ct) =>
        await UntilAsync(async () =>
        {
            var resource = await h.GetResourceAsync(ct);
            if (Finalizers(resource).Count == 0)
            {
                return null; // the operator's finalizer first
            }
            var finalizers = new JsonArray([.. Finalizers(resource).Append(Hold).Select(f => (JsonNode)JsonValue.Create(f))]);
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = resource["metadata"]!["resourceVersion"]!.DeepClone(), ["finalizers"] = finalizers },
            };
            try
            {
                await PatchResourceAsync(h, patch.ToJsonString(), ct);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
            {
                return null;
            }
            return resource["metadata"]!["uid"]!.GetValue<string>();
        }, "the test's finalizer added after the operator's", ct);

    private static Task<object> PatchResourceAsync(OperatorHarness h, string mergePatch, CancellationToken ct) =>
        h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(mergePatch, V1Patch.PatchType.MergePatch), ApiGroup.Group,
            ApiGroup.Version, Ns, ApiGroup.Plural, Name, cancellationToken: ct);

    private static async Task<List<string>> FinalizersAsync(OperatorHarness h, CancellationToken ct) => Finalizers(await h.GetResourceAsync(ct));

    private static List<string> Finalizers(JsonObject resource) =>
        (resource["metadata"]?["finalizers"] as JsonArray ?? []).Select(f => f!.GetValue<string>()).ToList();

    private static async Task<bool> ResourceExistsAsync(OperatorHarness h, CancellationToken ct)
    {
        try
        {
            await h.GetResourceAsync(ct);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    private static async Task<bool> VolumeGoneAsync(OperatorHarness h, string name, CancellationToken ct)
    {
        try
        {
            await h.Client.CoreV1.ReadPersistentVolumeAsync(name, cancellationToken: ct);
            return false;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return true;
        }
    }

    private static async Task<V1StatefulSet?> ReadSetAsync(OperatorHarness h, CancellationToken ct)
    {
        try
        {
            return await h.Client.AppsV1.ReadNamespacedStatefulSetAsync(Name, Ns, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task UntilAsync(Func<Task<bool>> check, string what, CancellationToken ct) =>
        await UntilAsync(async () => await check() ? "" : null, what, ct);

    private static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, string what, CancellationToken ct)
        where T : class
    {
        var deadline = DateTime.UtcNow + Slow;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {Slow.TotalSeconds} s waiting for {what}");
            }
            await Task.Delay(100, ct);
        }
    }
}
