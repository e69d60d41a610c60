using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Tests.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>
/// Snapshots for tests. <see cref="Hardened"/> is what a member started from the rendered mongod.conf shows,
/// built in the documented shapes: parsed nests options by their dotted names and holds setParameter values as
/// strings; getParameter holds each runtime parameter at top level (list parameters as arrays).
/// </summary>
internal static class Snapshots
{
    public const string OperatorUser = "CN=hipaa-operator,OU=operator,O=clinical";
    public const string VerifierUser = "CN=hipaa-verifier,OU=verifier,O=clinical";

    private static readonly string[] RuntimeLdap = ["security.ldap.servers", "security.ldap.bind.queryUser", "security.ldap.userToDNMapping", "security.ldap.authz.queryTemplate"];

    public static MemberExpectations Expect(BaselineModel? model = null) =>
        MemberExpectationsFactory.For(model ?? Models.Minimal(), OperatorUser, VerifierUser);

    public static MemberSnapshot Hardened(MemberExpectations e)
    {
        var parsed = new BsonDocument();
        var parameters = new BsonDocument { { "scramSHA256IterationCount", e.MinimumScramSha256IterationCount } };
        foreach (var o in e.Options.Where(o => o.Expectation == Expectation.Equals))
        {
            SetPath(parsed, o.Path, o.Path.StartsWith("setParameter.", StringComparison.Ordinal) ? Text(o.Value) : BsonValue.Create(o.Value));
            var name = o.RuntimeParameter ?? (RuntimeLdap.Contains(o.Path) ? LdapName(o.Path) : null);
            if (name is not null)
            {
                parameters[name] = name == "authenticationMechanisms" ? new BsonArray(((string)o.Value).Split(',')) : BsonValue.Create(o.Value);
            }
        }

        parameters["ok"] = 1;
        return new MemberSnapshot
        {
            CmdLineOpts = new BsonDocument { { "argv", new BsonArray { "mongod", "--config", "/etc/mongod/mongod.conf" } }, { "parsed", parsed }, { "ok", 1 } },
            Parameters = parameters,
            ReplSetStatus = ManualReplies.Doc(ManualReplies.ReplSetGetStatusPrimary),
            UsersInfo = new BsonDocument
            {
                { "users", new BsonArray { User("$external", e.OperatorUser, e.OperatorRole, "admin"), User("$external", e.VerifierUser, e.VerifierRole, "admin") } },
                { "ok", 1 },
            },
            RolesInfo = new BsonDocument
            {
                { "roles", new BsonArray { new BsonDocument { { "role", e.VerifierRole }, { "db", "admin" }, { "isBuiltin", false }, { "roles", new BsonArray() } } } },
                { "ok", 1 },
            },
            ProfileLevels = new Dictionary<string, BsonDocument> { ["admin"] = ManualReplies.ProfileReply(0), ["clinical"] = ManualReplies.ProfileReply(0) },
            RolesInfoByDatabase = new Dictionary<string, BsonDocument?> { ["clinical"] = GapReplies.NoRoles },
            ReplSetConfig = GapReplies.ReplSetConfig(e.MemberHosts),
            AuditConfig = AuditConfig(e),
            // buildInfo as the declared server reports it (Percona: its release suffix and psmdbVersion).
            BuildInfo = e.Edition == MongoEdition.Enterprise
                ? new BsonDocument { { "version", e.Version ?? "8.0.4" }, { "modules", new BsonArray { "enterprise" } }, { "ok", 1.0 } }
                : new BsonDocument { { "version", (e.Version ?? "8.0.12") + "-4" }, { "modules", new BsonArray() }, { "psmdbVersion", (e.Version ?? "8.0.12") + "-4" }, { "ok", 1.0 } },
            ServerStatus = e.Edition == MongoEdition.Percona
                ? GapReplies.ServerStatusWithEncryption(true, (string)Rendered(e, "security.encryptionCipherMode"), "kmip-key-7")
                : ManualReplies.Doc(ManualReplies.ServerStatusSecurity),
        };
    }

    /// <summary>The runtime audit configuration a member started from the rendered file reports.</summary>
    public static BsonDocument AuditConfig(MemberExpectations e)
    {
        var filter = (string)Rendered(e, "auditLog.filter");
        return e.Edition == MongoEdition.Enterprise
            ? GapReplies.AuditConfig(BsonDocument.Parse(filter), (bool)Rendered(e, "setParameter.auditAuthorizationSuccess"))
            : GapReplies.AuditGetOptions((string)Rendered(e, "auditLog.destination"), filter);
    }

    public static object Rendered(MemberExpectations e, string path) => e.Options.Single(o => o.Path == path && o.Expectation == Expectation.Equals).Value;

    public static BsonDocument User(string db, string name, string role, string roleDb) => new()
    {
        { "_id", $"{db}.{name}" }, { "user", name }, { "db", db },
        { "roles", new BsonArray { new BsonDocument { { "role", role }, { "db", roleDb } } } },
    };

    /// <summary>A copy of <paramref name="s"/> with getParameter's <paramref name="name"/> set (null removes it).</summary>
    public static MemberSnapshot WithParameter(MemberSnapshot s, string name, BsonValue? value)
    {
        var p = s.Parameters!.DeepClone().AsBsonDocument;
        if (value is null)
        {
            p.Remove(name);
        }
        else
        {
            p[name] = value;
        }

        return s with { Parameters = p };
    }

    /// <summary>A copy with parsed.&lt;path&gt; set (null removes it).</summary>
    public static MemberSnapshot WithParsed(MemberSnapshot s, string path, BsonValue? value)
    {
        var opts = s.CmdLineOpts!.DeepClone().AsBsonDocument;
        var parsed = opts["parsed"].AsBsonDocument;
        if (value is null)
        {
            RemovePath(parsed, path);
        }
        else
        {
            SetPath(parsed, path, value);
        }

        return s with { CmdLineOpts = opts };
    }

    public static void SetPath(BsonDocument doc, string path, BsonValue value)
    {
        var parts = path.Split('.');
        var at = doc;
        foreach (var part in parts[..^1])
        {
            if (!at.TryGetValue(part, out var next) || next is not BsonDocument child)
            {
                child = new BsonDocument();
                at[part] = child;
            }

            at = child;
        }

        at[parts[^1]] = value;
    }

    private static void RemovePath(BsonDocument doc, string path)
    {
        var parts = path.Split('.');
        var at = doc;
        foreach (var part in parts[..^1])
        {
            if (!at.TryGetValue(part, out var next) || next is not BsonDocument child)
            {
                return;
            }

            at = child;
        }

        at.Remove(parts[^1]);
    }

    private static string LdapName(string path) => path switch
    {
        "security.ldap.servers" => "ldapServers",
        "security.ldap.bind.queryUser" => "ldapQueryUser",
        "security.ldap.userToDNMapping" => "ldapUserToDNMapping",
        _ => "ldapAuthzQueryTemplate",
    };

    private static BsonString Text(object value) => value switch
    {
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
