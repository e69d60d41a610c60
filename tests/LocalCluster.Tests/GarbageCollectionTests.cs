using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// The garbage collector as kube-controller-manager runs it (docs "Garbage Collection": an object whose owners are
/// all gone is deleted; an owner still present, even while its finalizers hold it, keeps its dependents; the
/// graph is built from every add and update, not only from deletions).
/// </summary>
public sealed class GarbageCollectionTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    Kubernetes Client => cluster.Client;

    async Task<string> NamespaceAsync(string name)
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    static V1ConfigMap ConfigMap(string name, params V1OwnerReference[] owners) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, OwnerReferences = owners.Length == 0 ? null : owners },
    };

    async Task<bool> ExistsAsync(string ns, string name)
    {
        try
        {
            await Client.CoreV1.ReadNamespacedConfigMapAsync(name, ns);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    [Fact]
    public async Task A_dependent_of_a_custom_resource_stays_while_its_finalizer_holds_it_and_goes_once_it_is_gone()
    {
        var ns = await NamespaceAsync("gc-cr");
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Manifests.Crd);
        try
        {
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Installed by another test of this class.
        }
        var body = JsonNode.Parse(Manifests.HipaaMongo(ns, "db"))!.AsObject();
        body["metadata"]!["finalizers"] = new JsonArray("example.com/hold");
        var created = JsonNode.Parse(KubernetesJson.Serialize(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(body,
            Manifests.Group, Manifests.Version, ns, Manifests.Plural)))!;
        var owner = new V1OwnerReference
        {
            ApiVersion = $"{Manifests.Group}/{Manifests.Version}",
            Kind = "HipaaMongo",
            Name = "db",
            Uid = (string)created["metadata"]!["uid"]!,
            Controller = false,
            BlockOwnerDeletion = false,
        };
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("data", owner), ns);
        var guarded = ConfigMap("guarded", owner);
        guarded.Metadata.Finalizers = ["example.com/protect"];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(guarded, ns);

        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Manifests.Group, Manifests.Version, ns, Manifests.Plural, "db");
        Assert.True(await ExistsAsync(ns, "data"), "the owner is being deleted but still present: its dependent stays");

        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch),
            Manifests.Group, Manifests.Version, ns, Manifests.Plural, "db");
        Assert.False(await ExistsAsync(ns, "data"), "the owner is gone: its dependent is collected");
        var marked = await Client.CoreV1.ReadNamespacedConfigMapAsync("guarded", ns);
        Assert.NotNull(marked.Metadata.DeletionTimestamp); // collected, but its own finalizer still holds it
    }

    [Fact]
    public async Task A_dependent_written_after_its_owner_was_deleted_is_collected()
    {
        var ns = await NamespaceAsync("gc-late");
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns);
        var reference = new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, Controller = true };
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("updated-later"), ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns);

        // A controller that read the owner before its deletion creates a dependent afterwards.
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("created-late", reference), ns);
        Assert.False(await ExistsAsync(ns, "created-late"));

        // An ownerReference to the deleted owner added by an update.
        var patch = new V1Patch(new JsonObject
        {
            ["metadata"] = new JsonObject { ["ownerReferences"] = new JsonArray(JsonNode.Parse(KubernetesJson.Serialize(reference))) },
        }.ToJsonString(), V1Patch.PatchType.MergePatch);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "updated-later", ns);
        Assert.False(await ExistsAsync(ns, "updated-later"));
    }

    [Fact]
    public async Task A_dependent_with_another_live_owner_is_kept()
    {
        var ns = await NamespaceAsync("gc-two");
        var gone = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("gone"), ns);
        var live = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("live"), ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("gone", ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("shared",
            new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "gone", Uid = gone.Metadata.Uid },
            new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "live", Uid = live.Metadata.Uid }), ns);
        Assert.True(await ExistsAsync(ns, "shared"));
    }
}
