using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// The accounts a set declares beyond the operator's own two, named "db.name" as usersInfo and rolesInfo show them:
/// each HipaaMongoUser of the set (its current version and the versions still in their grace period, as its status
/// names them) and each custom role of spec.roles. The user controller keeps their grants as declared, so here they
/// only count as declared: without them every declared user would fail unique user identification.
/// </summary>
public static class DeclaredAccounts
{
    public static IReadOnlyList<string> Users(HipaaMongoResource cluster, IEnumerable<HipaaMongoUserResource> users)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(users);
        return [.. users
            .Where(u => u.Metadata.NamespaceProperty == cluster.Metadata.NamespaceProperty && u.Spec.HipaaMongoRef.Name == cluster.Metadata.Name)
            .SelectMany(Names)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)];
    }

    public static IReadOnlyList<string> Roles(HipaaMongoResource cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return [.. (cluster.Spec.Roles ?? []).Select(r => $"{r.Db}.{r.Name}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static IEnumerable<string> Names(HipaaMongoUserResource user)
    {
        if (user.Status is not { Username: { Length: > 0 } name, Database: { Length: > 0 } db } status)
        {
            yield break; // not created yet: nothing in mongod to declare
        }

        yield return $"{db}.{name}";
        foreach (var retiring in status.Retiring ?? [])
        {
            yield return $"{db}.{retiring.Username}";
        }
    }
}
