using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// The roles spec.ldap.groupRoleMappings declares. mongod gives an LDAP user the roles named after the group DNs its
/// authz query returns, in the admin database, and only those that exist (PSMDB ldap_manager_impl.cpp
/// queryUserRoles; MongoDB manual "LDAP Authorization", step 5: "the roles must exist"). So each group is a custom
/// role in admin named by the DN, inheriting exactly the mapped roles and granting no privilege of its own.
/// Pure: from the primary's rolesInfo (read as the verifier with showPrivileges) it plans a createRole for a role
/// that is absent and an updateRole for one that inherits or grants anything else (updateRole replaces both lists,
/// so a grant added out of band is taken back). Only the primary plans: role writes go to the primary, and
/// secondaries replicate them. A reply that was not read plans nothing.
/// </summary>
public static class LdapGroupRoles
{
    /// <summary>Where mongod looks the group roles up.</summary>
    public const string Database = "admin";

    /// <summary>The start of a planned correction's setting name.</summary>
    public const string SettingPrefix = "LDAP group role ";

    /// <summary>What a correction shows as found for a role that does not exist.</summary>
    public const string Absent = "absent";

    public static IReadOnlyList<PlannedCorrection> Corrections(MemberSnapshot snapshot, MemberExpectations expected)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(expected);
        if (expected.LdapGroupRoles.Count == 0 || ReplicaState.Role(snapshot.ReplSetStatus) != MemberRole.Primary
            || Found(snapshot.RolesInfo) is not { } found)
        {
            return [];
        }

        var planned = new List<PlannedCorrection>();
        foreach (var declared in expected.LdapGroupRoles)
        {
            var desired = Describe(declared.Roles, 0);
            if (!found.TryGetValue(declared.Group, out var role))
            {
                planned.Add(new(SettingPrefix + declared.Group, Absent, desired, Database, Command("createRole", declared)));
            }
            else if (Differs(role, declared) is { } now)
            {
                planned.Add(new(SettingPrefix + declared.Group, now, desired, Database, Command("updateRole", declared)));
            }
        }

        return planned;
    }

    /// <summary>createRole or updateRole with the declared roles and no privileges, acknowledged by a majority.</summary>
    public static BsonDocument Command(string verb, LdapGroupRoleModel role)
    {
        ArgumentNullException.ThrowIfNull(role);
        return new()
        {
            { verb, role.Group },
            { "privileges", new BsonArray() },
            { "roles", new BsonArray(role.Roles.Select(r => new BsonDocument { { "role", r.Role }, { "db", r.Db } })) },
            { "writeConcern", new BsonDocument { { "w", "majority" }, { "wtimeout", 15000 } } },
        };
    }

    // The admin roles of rolesInfo by name; null when the list was not read or an admin entry cannot be named.
    private static Dictionary<string, BsonDocument>? Found(BsonDocument? rolesInfo)
    {
        if (BsonRead.Array(BsonRead.At(rolesInfo, "roles")) is not { } entries)
        {
            return null;
        }

        var found = new Dictionary<string, BsonDocument>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry is not BsonDocument e || BsonRead.String(BsonRead.At(e, "role")) is not { } name || BsonRead.String(BsonRead.At(e, "db")) is not { } db)
            {
                return null;
            }

            if (db == Database)
            {
                found.TryAdd(name, e);
            }
        }

        return found;
    }

    // How the role differs, as shown in the correction's "found"; null when it is as declared or cannot be judged
    // (read without its privileges, or a shape rolesInfo never gives): a role is never rewritten on a guess.
    private static string? Differs(BsonDocument role, LdapGroupRoleModel declared)
    {
        if (role.GetValue("privileges", BsonNull.Value) is not BsonArray privileges || Inherited(role) is not { } inherited)
        {
            return null;
        }

        var same = privileges.Count == 0 && inherited.ToHashSet().SetEquals(declared.Roles);
        return same ? null : Describe(inherited, privileges.Count);
    }

    private static List<RoleRef>? Inherited(BsonDocument role)
    {
        if (!role.TryGetValue("roles", out var value))
        {
            return [];
        }

        if (value is not BsonArray roles)
        {
            return null;
        }

        var refs = new List<RoleRef>();
        foreach (var r in roles)
        {
            if (r is not BsonDocument d || BsonRead.String(BsonRead.At(d, "role")) is not { } name || BsonRead.String(BsonRead.At(d, "db")) is not { } db)
            {
                return null;
            }

            refs.Add(new RoleRef(name, db));
        }

        return refs;
    }

    private static string Describe(IEnumerable<RoleRef> roles, int privileges)
    {
        var names = roles.Select(r => $"{r.Role}@{r.Db}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var inherits = names.Count == 0 ? "inherits no role" : "inherits " + string.Join(", ", names);
        return privileges == 0 ? inherits : $"{inherits} and grants {privileges} privilege(s) of its own";
    }
}
