using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Operator.Reconciliation.Status;

/// <summary>
/// The set's access review in its own status: every HipaaMongoUser of this HipaaMongo that can remove, drop or
/// update in a PHI database, as its own status says (status.phiAccess, which the user controller derives from the
/// roles it applied and read back on the primary), and every LDAP group of spec.ldap.groupRoleMappings whose
/// mapped roles can (its members get them at login: docs/ldap.md), named "&lt;group DN&gt; (ldap group)". Pure. Roles
/// show as the "via" of each line: a custom role that no user or group holds grants nobody access.
/// </summary>
public static class PhiAccessRoster
{
    /// <summary>The schema's maxItems for status.phiAccess.</summary>
    public const int MaxLines = 256;

    /// <summary>The lines, sorted; null when nobody has such access (the field is then removed).</summary>
    public static List<string>? For(HipaaMongoResource resource, IEnumerable<HipaaMongoUserResource> users)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(users);
        var lines = users
            .Where(u => u.Metadata.NamespaceProperty == resource.Metadata.NamespaceProperty && u.Spec?.HipaaMongoRef?.Name == resource.Metadata.Name)
            .SelectMany(u => (u.Status?.PhiAccess ?? []).Select(line => $"{Principal(u)} {line}"))
            .Concat(Groups(resource.Spec))
            .Order(StringComparer.Ordinal)
            .ToList();
        if (lines.Count == 0)
        {
            return null;
        }

        return lines.Count <= MaxLines ? lines : [.. lines.Take(MaxLines - 1), $"and {lines.Count - (MaxLines - 1)} more (hipaa-mongo report lists them all)"];
    }

    /// <summary>The groups' lines, from the spec (the group roles are the operator's to keep as declared: docs/ldap.md).</summary>
    public static IEnumerable<string> Groups(HipaaMongoSpec? spec) => LdapGroupAccess.Review(spec).Select(f => f.ToString());

    private static string Principal(HipaaMongoUserResource user) =>
        $"HipaaMongoUser {user.Metadata.Name} ({user.Status?.Username ?? "?"}@{user.Status?.Database ?? "?"})";
}
