using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Queue;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Tests;

public class OwnerMappingTests
{
    private static V1ConfigMap Owned(params V1OwnerReference[] refs) => new()
    {
        Metadata = new V1ObjectMeta { Name = "db-config", NamespaceProperty = "prod", OwnerReferences = refs },
    };

    private static V1OwnerReference Ref(string apiVersion, string kind, string name, bool? controller) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = "u1", Controller = controller };

    [Fact]
    public void The_controller_reference_maps_to_the_owner_key_in_the_same_namespace()
    {
        var obj = Owned(Ref("example.io/v1alpha1", "Database", "db", true));
        Assert.Equal(new ObjectKey("prod", "db"), OwnerMapping.ControllerOwner(obj, "example.io", "Database"));
    }

    [Fact]
    public void The_version_of_the_owner_reference_does_not_matter_but_group_and_kind_do()
    {
        var obj = Owned(Ref("example.io/v2", "Database", "db", true));
        Assert.NotNull(OwnerMapping.ControllerOwner(obj, "example.io", "Database"));
        Assert.Null(OwnerMapping.ControllerOwner(obj, "other.io", "Database"));
        Assert.Null(OwnerMapping.ControllerOwner(obj, "example.io", "Backup"));
    }

    [Fact]
    public void Non_controller_references_are_ignored()
    {
        Assert.Null(OwnerMapping.ControllerOwner(Owned(Ref("example.io/v1", "Database", "db", false)), "example.io", "Database"));
        Assert.Null(OwnerMapping.ControllerOwner(Owned(Ref("example.io/v1", "Database", "db", null)), "example.io", "Database"));
        Assert.Null(OwnerMapping.ControllerOwner(Owned(), "example.io", "Database"));
    }

    [Fact]
    public void Core_group_owners_are_matched_by_empty_group()
    {
        var obj = Owned(Ref("v1", "Service", "svc", true));
        Assert.Equal(new ObjectKey("prod", "svc"), OwnerMapping.ControllerOwner(obj, "", "Service"));
    }

    [Fact]
    public void EnqueueOwner_enqueues_old_and_new_owner_on_update_once_each()
    {
        using var queue = new WorkQueue<ObjectKey>();
        var handler = OwnerMapping.EnqueueOwner<V1ConfigMap>(queue, "example.io", "Database");
        var before = Owned(Ref("example.io/v1", "Database", "a", true));
        var after = Owned(Ref("example.io/v1", "Database", "b", true));

        handler.OnUpdate!(before, after);
        handler.OnAdd!(after);
        Assert.Equal(2, queue.Count);

        handler.OnDelete!(Owned());
        Assert.Equal(2, queue.Count);
    }
}
