using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// A claim update as kube-apiserver judges it: ValidatePersistentVolumeClaimUpdate (pkg/apis/core/validation, 422:
/// a bound claim's spec is immutable but for resources.requests; never down to status.capacity), then the
/// PersistentVolumeClaimResize admission plugin (403: only a bound claim whose class says allowVolumeExpansion).
/// </summary>
public sealed class ClaimResizeTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    const string Ns = "default";

    async Task<V1PersistentVolumeClaim> BoundClaimAsync(string name, string className, bool? allowExpansion, CancellationToken ct)
    {
        var client = cluster.Client;
        try
        {
            await client.StorageV1.CreateStorageClassAsync(new V1StorageClass
            {
                Metadata = new V1ObjectMeta { Name = className },
                Provisioner = "example.com/disk",
                AllowVolumeExpansion = allowExpansion,
            }, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // made by another test of this class
        }
        var claim = await client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                StorageClassName = className,
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } },
            },
        }, Ns, cancellationToken: ct);
        claim.Status = new V1PersistentVolumeClaimStatus
        {
            Phase = "Bound",
            Capacity = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") },
        };
        return await client.CoreV1.ReplaceNamespacedPersistentVolumeClaimStatusAsync(claim, name, Ns, cancellationToken: ct);
    }

    Task<V1PersistentVolumeClaim> ResizeAsync(string name, string size, CancellationToken ct) =>
        cluster.Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
            new V1Patch("""{"spec":{"resources":{"requests":{"storage":""" + "\"" + size + "\"}}}}", V1Patch.PatchType.MergePatch), name, Ns,
            cancellationToken: ct);

    [Fact]
    public async Task A_bound_claim_of_an_expandable_class_grows()
    {
        var ct = TestContext.Current.CancellationToken;
        await BoundClaimAsync("grows", "expandable", true, ct);
        var grown = await ResizeAsync("grows", "20Gi", ct);
        Assert.Equal("20Gi", grown.Spec.Resources.Requests["storage"].ToString());
    }

    [Theory]
    [InlineData("no-flag", null)]
    [InlineData("flag-false", false)]
    public async Task Growth_is_forbidden_when_the_class_does_not_allow_expansion(string className, bool? allow)
    {
        var ct = TestContext.Current.CancellationToken;
        await BoundClaimAsync("fixed-" + className, className, allow, ct);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => ResizeAsync("fixed-" + className, "20Gi", ct));
        Assert.Equal(403, (int)e.Response.StatusCode);
        Assert.Contains($"persistentvolumeclaims \\\"fixed-{className}\\\" is forbidden: only dynamically provisioned pvc can be resized",
            e.Response.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shrink_to_status_capacity_or_below_is_invalid()
    {
        var ct = TestContext.Current.CancellationToken;
        await BoundClaimAsync("shrinks", "expandable", true, ct);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => ResizeAsync("shrinks", "5Gi", ct));
        Assert.Equal(422, (int)e.Response.StatusCode);
        Assert.Contains("spec.resources.requests.storage: Forbidden: field can not be less than status.capacity", e.Response.Content,
            StringComparison.Ordinal);
        // RecoverVolumeExpansionFailure: a request above status.capacity may come back down (a failed expansion undone).
        await ResizeAsync("shrinks", "30Gi", ct);
        await ResizeAsync("shrinks", "15Gi", ct);
    }

    [Fact]
    public async Task A_bound_claims_other_spec_fields_are_immutable()
    {
        var ct = TestContext.Current.CancellationToken;
        await BoundClaimAsync("immutable", "expandable", true, ct);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => cluster.Client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(
            new V1Patch("""{"spec":{"accessModes":["ReadWriteMany"]}}""", V1Patch.PatchType.MergePatch), "immutable", Ns, cancellationToken: ct));
        Assert.Equal(422, (int)e.Response.StatusCode);
        Assert.Contains("spec is immutable after creation except resources.requests", e.Response.Content, StringComparison.Ordinal);
    }
}
