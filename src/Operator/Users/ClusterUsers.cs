using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Users;

/// <summary>
/// Maps a HipaaMongo to the HipaaMongoUsers that name it (same namespace, spec.hipaaMongoRef), so a change to its
/// spec.roles, PHI databases or members wakes each of its users at once instead of at the next drift check.
/// </summary>
public static class ClusterUsers
{
    public static IEnumerable<ObjectKey> Of(ObjectCache<HipaaMongoUserResource> users, HipaaMongoResource cluster)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(cluster);
        var ns = cluster.Metadata?.NamespaceProperty;
        var name = cluster.Metadata?.Name;
        return name is null ? [] : [.. users.List(ns).Where(u => u.Spec?.HipaaMongoRef?.Name == name).Select(u => ObjectKey.From(u))];
    }
}
