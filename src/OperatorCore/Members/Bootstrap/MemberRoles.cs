using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Bootstrap;

/// <summary>
/// The two custom roles bootstrap creates in admin, and the users that hold them (pure). docs/members.md gives the
/// manual source for every action.
/// </summary>
public static class MemberRoles
{
    /// <summary>The operator's admin role: runtime corrections, certificate rotation, profiler resets, user/role management, reconfig and step-down.</summary>
    public const string OperatorRole = "hipaaMongoOperator";

    private static readonly BsonDocument Cluster = new("cluster", true);

    // {db: "", collection: ""}: every database's non-system collections (the manual's "all databases" resource).
    private static BsonDocument AnyDatabase => new() { { "db", "" }, { "collection", "" } };

    /// <summary>secure-baseline.md 7.3, plus viewUser on the cluster (usersInfo forAllDBs) and getClusterParameter (Enterprise auditConfig).</summary>
    public static BsonDocument VerifierRole(string name, MongoEdition edition)
    {
        var cluster = new BsonArray { "getCmdLineOpts", "getParameter", "serverStatus", "replSetGetStatus", "replSetGetConfig", "getDefaultRWConcern", "viewUser" };
        if (edition == MongoEdition.Enterprise)
        {
            cluster.Add("getClusterParameter");
        }

        return CreateRole(name, new BsonArray
        {
            Privilege(Cluster, cluster),
            Privilege(AnyDatabase, new BsonArray { "viewUser", "viewRole" }),
        });
    }

    public static BsonDocument OperatorAdminRole() => CreateRole(OperatorRole, new BsonArray
    {
        // replSetConfigure and replSetStateChange: scaling reconfigures the set and steps a leaving primary down
        // (the replSetReconfig and replSetStepDown manual pages name these actions); setFeatureCompatibilityVersion:
        // a major upgrade raises FCV once every member runs the new binary (the command's manual page).
        Privilege(Cluster, new BsonArray
        {
            "setParameter", "rotateCertificates", "listDatabases", "replSetConfigure", "replSetStateChange", "setFeatureCompatibilityVersion",
        }),
        Privilege(AnyDatabase, new BsonArray
        {
            // changePassword: updateUser {pwd} for a user whose externally managed password changed.
            "enableProfiler", "createUser", "dropUser", "changePassword", "createRole", "dropRole", "grantRole", "revokeRole", "viewUser", "viewRole",
        }),
    });

    /// <summary>
    /// Pure: updateRole bringing a role that exists (its rolesInfo document, read with showPrivileges) to the render
    /// (<paramref name="createRole"/>), or null when it already grants exactly the rendered privileges and inherits
    /// exactly the rendered roles. Compared as sets of (resource, action) grants, so order and how mongod groups the
    /// actions do not matter; a role read without its privileges is never "updated" on a guess.
    /// </summary>
    public static BsonDocument? UpdateToRender(BsonDocument createRole, BsonDocument found)
    {
        ArgumentNullException.ThrowIfNull(createRole);
        ArgumentNullException.ThrowIfNull(found);
        if (found.GetValue("privileges", BsonNull.Value) is not BsonArray privileges)
        {
            return null;
        }
        var same = Grants(privileges).SetEquals(Grants(createRole["privileges"].AsBsonArray))
            && RoleRefs(found.GetValue("roles", new BsonArray()).AsBsonArray).SetEquals(RoleRefs(createRole["roles"].AsBsonArray));
        return same ? null : new BsonDocument
        {
            { "updateRole", createRole["createRole"] },
            { "privileges", createRole["privileges"].DeepClone() },
            { "roles", createRole["roles"].DeepClone() },
            { "writeConcern", Majority },
        };
    }

    // One "resource|action" per grant; the resource document with its fields in name order.
    private static HashSet<string> Grants(BsonArray privileges) =>
    [
        .. privileges.OfType<BsonDocument>().SelectMany(p =>
            (p.GetValue("actions", BsonNull.Value) as BsonArray ?? []).Select(a =>
                $"{Canonical(p.GetValue("resource", new BsonDocument()))}|{a}")),
    ];

    private static HashSet<string> RoleRefs(BsonArray roles) =>
        [.. roles.Select(r => r is BsonDocument d ? $"{d.GetValue("role", "")}@{d.GetValue("db", "")}" : r.ToString() ?? "")];

    private static string Canonical(BsonValue resource) => resource is BsonDocument d
        ? new BsonDocument(d.Elements.OrderBy(e => e.Name, StringComparer.Ordinal)).ToJson()
        : resource.ToString() ?? "";

    /// <summary>createUser on $external for an x.509 subject, holding one admin role.</summary>
    public static BsonDocument CreateX509User(string subject, string role) => new()
    {
        { "createUser", subject },
        { "roles", new BsonArray { new BsonDocument { { "role", role }, { "db", "admin" } } } },
        { "writeConcern", Majority },
    };

    private static BsonDocument Majority => new() { { "w", "majority" }, { "wtimeout", 15000 } };

    private static BsonDocument CreateRole(string name, BsonArray privileges) => new()
    {
        { "createRole", name },
        { "privileges", privileges },
        { "roles", new BsonArray() },
        { "writeConcern", Majority },
    };

    private static BsonDocument Privilege(BsonDocument resource, BsonArray actions) => new()
    {
        { "resource", resource.DeepClone() },
        { "actions", actions },
    };
}
