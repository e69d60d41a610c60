using CsCheck;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Tests.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

public sealed class MemberAnalyzerPropertyTests
{
    private const long Iterations = 400;

    private static readonly string[] TlsOrder = ["disabled", "allowTLS", "preferTLS", "requireTLS"];
    private static readonly string[] AuthOrder = ["keyFile", "sendKeyFile", "sendX509", "x509"];

    /// <summary>Field names the analysis reads, so random documents hit the interesting paths.</summary>
    private static readonly string[] Keys =
    [
        "parsed", "net", "tls", "mode", "security", "auditLog", "filter", "destination", "setParameter", "tlsMode",
        "clusterAuthMode", "redactClientLogData", "auditAuthorizationSuccess", "scramSHA256IterationCount", "ldapServers",
        "enableLocalhostAuthBypass", "authenticationMechanisms", "javascriptEnabled", "enableEncryption", "kmip",
        "users", "roles", "user", "role", "db", "isBuiltin", "members", "self", "health", "state", "myState",
        "SSLServerCertificateExpirationDate", "was", "ok", "clusterParameters", "_id", "encryptionAtRest",
        "encryptionEnabled", "encryptionCipherMode", "encryptionKeyId", "config", "host", "auditConfig",
    ];

    private static readonly Gen<BsonValue> Scalar = Gen.OneOf<BsonValue>(
        Gen.Bool.Select(b => (BsonValue)b),
        Gen.Int.Select(i => (BsonValue)i),
        Gen.Long.Select(l => (BsonValue)l),
        Gen.Double.Select(d => (BsonValue)d),
        Gen.OneOf("requireTLS", "preferTLS", "allowTLS", "disabled", "x509", "sendX509", "keyFile", "true", "false", "<password>", "", "15000")
            .Select(s => (BsonValue)s),
        Gen.String.Select(s => (BsonValue)s),
        Gen.Bool.Select(_ => (BsonValue)BsonNull.Value),
        Gen.Long[-100_000_000_000_000, 300_000_000_000_000].Select(ms => (BsonValue)new BsonDateTime(ms)));

    private static readonly Gen<BsonValue> Value = Gen.Recursive<BsonValue>((depth, self) => depth >= 4
        ? Scalar
        : Gen.Frequency(
            (4, Scalar),
            (2, Gen.Select(Gen.OneOf(Keys), self).Array[0, 5].Select(kv => (BsonValue)Doc(kv))),
            (1, self.Array[0, 4].Select(a => (BsonValue)new BsonArray(a)))));

    private static readonly Gen<BsonDocument?> Reply = Gen.Frequency(
        (1, Gen.Bool.Select(_ => (BsonDocument?)null)),
        (4, Gen.Select(Gen.OneOf(Keys), Value).Array[0, 8].Select(kv => (BsonDocument?)Doc(kv))));

    private static readonly Gen<MemberExpectations> Expectations =
        Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, (percona, ldap, phi) =>
        {
            var model = ldap ? Models.WithLdap() : Models.Minimal();
            model = model with
            {
                Edition = percona ? MongoEdition.Percona : MongoEdition.Enterprise,
                Audit = phi ? new AuditModel { Tier = AuditTier.PhiAccess, PhiNamespaces = ["patients", "clinical.notes"] } : new AuditModel(),
            };
            return Snapshots.Expect(model);
        });

    /// <summary>Arbitrary replies, or the hardened replies with random paths replaced by random values.</summary>
    private static readonly Gen<(MemberExpectations, MemberSnapshot)> Cases = Gen.Select(Expectations, Gen.Bool, Reply.Array[10], Gen.Select(Gen.OneOf(Keys).Array[1, 4], Value).Array[0, 6],
        (e, arbitrary, replies, edits) =>
        {
            if (arbitrary)
            {
                var profiles = replies[7] is { } p ? new Dictionary<string, BsonDocument> { ["admin"] = p, ["clinical"] = p } : null;
                return (e, new MemberSnapshot
                {
                    CmdLineOpts = replies[0],
                    Parameters = replies[1],
                    ServerStatus = replies[2],
                    ReplSetStatus = replies[3],
                    UsersInfo = replies[4],
                    RolesInfo = replies[5],
                    AuditConfig = replies[6],
                    ProfileLevels = profiles,
                    ReplSetConfig = replies[8],
                    RolesInfoByDatabase = new Dictionary<string, BsonDocument?> { ["clinical"] = replies[9], ["products"] = replies[5] },
                });
            }

            var s = Snapshots.Hardened(e);
            foreach (var (path, v) in edits)
            {
                var tail = string.Join('.', path);
                s = path[0] == "parsed" ? Snapshots.WithParsed(s, path.Length == 1 ? "net" : string.Join('.', path[1..]), v)
                    : s with { Parameters = Edited(s.Parameters!, tail, v) };
            }

            return (e, s);
        });

    [Fact]
    public void Analyze_never_throws_and_never_plans_a_weakening_command() =>
        Cases.Sample(c =>
        {
            var (e, s) = c;
            var a = MemberAnalyzer.Analyze(s, e);
            Assert.All(a.Corrections, correction => AssertStrengthens(correction, s, e));
            Assert.All(a.Uncorrectable, u => Assert.DoesNotContain("<password>", u, StringComparison.Ordinal));
        }, iter: Iterations, threads: 1);

    [Fact]
    public void A_key_id_in_the_encryption_status_never_appears_in_a_sentence() =>
        Gen.Select(Gen.String[6, 40], Gen.Bool, Gen.OneOf("AES256-CBC", "AES256-GCM"), (id, enabled, cipher) => (id, enabled, cipher))
            .Sample(c =>
            {
                var e = Snapshots.Expect(Models.Minimal() with { Edition = MongoEdition.Percona });
                var s = Snapshots.Hardened(e) with { ServerStatus = GapReplies.ServerStatusWithEncryption(c.enabled, c.cipher, c.id) };
                var a = MemberAnalyzer.Analyze(s, e);
                Assert.All(a.Uncorrectable, u => Assert.DoesNotContain(c.id, u, StringComparison.Ordinal));
                Assert.Equal(!c.enabled, a.Uncorrectable.Any(u => u.Contains("encryption at rest off", StringComparison.Ordinal)));
            }, iter: Iterations, threads: 1);

    [Fact]
    public void An_unchanged_member_needs_nothing() =>
        Expectations.Sample(e =>
        {
            var a = MemberAnalyzer.Analyze(Snapshots.Hardened(e), e);
            Assert.Empty(a.Corrections);
            Assert.Empty(a.Uncorrectable);
        }, iter: 20, threads: 1);

    private static void AssertStrengthens(PlannedCorrection c, MemberSnapshot s, MemberExpectations e)
    {
        if (c.Command.Contains("profile"))
        {
            Assert.Equal(new BsonDocument("profile", 0), c.Command);
            return;
        }

        Assert.Equal("admin", c.Database);
        Assert.Equal(2, c.Command.ElementCount);
        Assert.Equal(new BsonElement("setParameter", 1), c.Command.GetElement(0));
        var (name, value) = (c.Command.GetElement(1).Name, c.Command.GetElement(1).Value);
        var found = s.Parameters![name];
        switch (name)
        {
            case "tlsMode":
                Assert.Equal(Array.IndexOf(TlsOrder, found.AsString) + 1, Array.IndexOf(TlsOrder, value.AsString));
                Assert.NotEqual("allowTLS", value.AsString);
                break;
            case "clusterAuthMode":
                Assert.Equal(Array.IndexOf(AuthOrder, found.AsString) + 1, Array.IndexOf(AuthOrder, value.AsString));
                break;
            case "redactClientLogData" or "auditAuthorizationSuccess":
                Assert.True(value.AsBoolean);
                break;
            case "scramSHA256IterationCount":
                Assert.True(value.ToInt64() >= e.MinimumScramSha256IterationCount);
                break;
            case "ldapServers" or "ldapQueryUser" or "ldapUserToDNMapping" or "ldapAuthzQueryTemplate":
                Assert.NotNull(e.Options.SingleOrDefault(o => BsonValue.Create(o.Value).Equals(value) && o.Path.StartsWith("security.ldap.", StringComparison.Ordinal)));
                break;
            default:
                Assert.Fail($"unexpected setParameter {name}");
                break;
        }
    }

    private static BsonDocument Edited(BsonDocument parameters, string name, BsonValue value)
    {
        var copy = parameters.DeepClone().AsBsonDocument;
        copy[name] = value;
        return copy;
    }

    private static BsonDocument Doc((string, BsonValue)[] pairs)
    {
        var d = new BsonDocument();
        foreach (var (k, v) in pairs)
        {
            d[k] = v;
        }

        return d;
    }
}
