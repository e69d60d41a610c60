using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Tests.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>
/// Drift cases and what must be done. Commands are the manual's setParameter form
/// (db.adminCommand({setParameter: 1, tlsMode: "requireTLS"}), "Upgrade a Cluster to Use TLS/SSL") and
/// {profile: 0} (reference/command/profile); the one-step rules are the manual's upgrade procedures.
/// </summary>
public sealed class DriftTableTests
{
    private static readonly MemberExpectations Minimal = Snapshots.Expect();

    public static TheoryData<string, string?, string?> Cases() => new()
    {
        // break, expected command (admin), expected uncorrectable fragment
        { "param tlsMode=\"preferTLS\"", """{ "setParameter" : 1, "tlsMode" : "requireTLS" }""", null },
        { "param tlsMode=\"allowTLS\"", """{ "setParameter" : 1, "tlsMode" : "preferTLS" }""", null },
        { "param tlsMode=\"disabled\"", null, "tlsMode is 'disabled'" },
        { "param tlsMode=\"sometimesTLS\"", null, "tlsMode is 'sometimesTLS'" },
        { "param clusterAuthMode=\"sendX509\"", """{ "setParameter" : 1, "clusterAuthMode" : "x509" }""", null },
        { "param clusterAuthMode=\"sendKeyFile\"", """{ "setParameter" : 1, "clusterAuthMode" : "sendX509" }""", null },
        { "param clusterAuthMode=\"keyFile\"", """{ "setParameter" : 1, "clusterAuthMode" : "sendKeyFile" }""", null },
        { "param redactClientLogData=false", """{ "setParameter" : 1, "redactClientLogData" : true }""", null },
        // Tier 1 renders auditAuthorizationSuccess false; true only audits more, and is not switched off.
        { "param auditAuthorizationSuccess=true", null, "auditAuthorizationSuccess is true; the baseline requires false" },
        { "param scramSHA256IterationCount=10000", """{ "setParameter" : 1, "scramSHA256IterationCount" : 15000 }""", null },
        { "param enableLocalhostAuthBypass=true", null, "enableLocalhostAuthBypass is true; the baseline requires false (not corrected at runtime: mongod accepts it only at startup)" },
        { "param authenticationMechanisms=[\"SCRAM-SHA-1\",\"SCRAM-SHA-256\",\"MONGODB-X509\"]", null, "authenticationMechanisms is 'SCRAM-SHA-1,SCRAM-SHA-256,MONGODB-X509'" },
        { "param authFailedDelayMs=0", null, "authFailedDelayMs is 0; the baseline requires 1000" },
        { "parsed security.javascriptEnabled=true", null, "startup option security.javascriptEnabled is true; the baseline requires false" },
        { "parsed security.javascriptEnabled", null, "startup option security.javascriptEnabled is absent" },
        { "parsed net.tls.allowInvalidCertificates=true", null, "startup option net.tls.allowInvalidCertificates is true; the baseline requires absent or false" },
        { "parsed net.tls.allowInvalidHostnames=true", null, "startup option net.tls.allowInvalidHostnames is true" },
        { "parsed security.transitionToAuth=true", null, "startup option security.transitionToAuth is true" },
        { "parsed security.enableEncryption=false", null, "startup option security.enableEncryption is false; the baseline requires true" },
        { "parsed security.encryptionKeyFile=\"/etc/key\"", null, "startup option security.encryptionKeyFile is '/etc/key'" },
        { "parsed security.kmip.serverName=\"rogue.example.org\"", null, "startup option security.kmip.serverName is 'rogue.example.org'" },
        { "parsed auditLog.destination=\"console\"", null, "startup option auditLog.destination is 'console'; the baseline requires 'file'" },
        { "parsed auditLog.format=\"BSON\"", null, "startup option auditLog.format is 'BSON'; the baseline requires 'JSON'" },
        { "parsed auditLog.filter=\"{}\"", null, "startup option auditLog.filter is '{}'; the baseline requires sha256:" },
        { "parsed operationProfiling.mode=\"all\"", null, "startup option operationProfiling.mode is 'all'" },
        { "parsed net.tls.disabledProtocols=\"TLS1_0\"", null, "startup option net.tls.disabledProtocols is 'TLS1_0'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Drift_gives_the_expected_command_or_finding(string breaking, string? command, string? finding)
    {
        var a = MemberAnalyzer.Analyze(ParameterReadingTests.Break(Snapshots.Hardened(Minimal), breaking), Minimal);
        if (command is null)
        {
            Assert.Empty(a.Corrections);
        }
        else
        {
            var c = Assert.Single(a.Corrections);
            Assert.Equal(BsonDocument.Parse(command), c.Command);
            Assert.Equal("admin", c.Database);
        }

        if (finding is null)
        {
            Assert.Empty(a.Uncorrectable);
        }
        else
        {
            Assert.Contains(finding, Assert.Single(a.Uncorrectable), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("param authenticationMechanisms=[\"MONGODB-X509\",\"SCRAM-SHA-256\"]")]
    [InlineData("parsed net.tls.disabledProtocols=\"TLS1_1,TLS1_0\"")]
    [InlineData("param scramSHA256IterationCount=20000")]
    [InlineData("parsed net.tls.allowInvalidCertificates=false")]
    [InlineData("parsed security.transitionToAuth")]
    public void Equivalent_or_stronger_values_are_not_drift(string breaking)
    {
        var a = MemberAnalyzer.Analyze(ParameterReadingTests.Break(Snapshots.Hardened(Minimal), breaking), Minimal);
        Assert.Empty(a.Corrections);
        Assert.Empty(a.Uncorrectable);
    }

    [Fact]
    public void The_audit_filter_is_never_echoed()
    {
        var secretish = "{ atype: 'authCheck', 'param.ns': /^patients\\./, note: '" + new string('x', 100) + "' }";
        var s = Snapshots.WithParsed(Snapshots.Hardened(Minimal), "auditLog.filter", secretish);
        var finding = Assert.Single(MemberAnalyzer.Analyze(s, Minimal).Uncorrectable);
        Assert.DoesNotContain("patients", finding, StringComparison.Ordinal);
        Assert.Contains("sha256:", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void Redacted_values_are_never_echoed()
    {
        // mongod shows redactable options as "<password>" in getCmdLineOpts (secure-baseline.md 7.1).
        var s = Snapshots.WithParsed(Snapshots.Hardened(Minimal), "security.kmip.clientCertificateFile", "<password>");
        var finding = Assert.Single(MemberAnalyzer.Analyze(s, Minimal).Uncorrectable);
        Assert.DoesNotContain("<password>", finding, StringComparison.Ordinal);
        Assert.Contains("(redacted)", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void ClusterAuthMode_waits_for_tls_between_members()
    {
        var s = ParameterReadingTests.Break(ParameterReadingTests.Break(Snapshots.Hardened(Minimal), "param tlsMode=\"allowTLS\""), "param clusterAuthMode=\"sendKeyFile\"");
        var a = MemberAnalyzer.Analyze(s, Minimal);
        var c = Assert.Single(a.Corrections);
        Assert.Equal(BsonDocument.Parse("""{ "setParameter" : 1, "tlsMode" : "preferTLS" }"""), c.Command);
        Assert.Contains(a.Uncorrectable, u => u.StartsWith("clusterAuthMode is 'sendKeyFile'", StringComparison.Ordinal) && u.Contains("tlsMode", StringComparison.Ordinal));
    }

    [Fact]
    public void The_profiler_is_switched_off_on_each_database_that_runs_it()
    {
        var s = Snapshots.Hardened(Minimal) with
        {
            ProfileLevels = new Dictionary<string, BsonDocument>
            {
                ["admin"] = ManualReplies.ProfileReply(0),
                ["clinical"] = ManualReplies.ProfileReply(2),
                ["patients"] = ManualReplies.ProfileReply(1),
            },
        };
        var a = MemberAnalyzer.Analyze(s, Minimal);
        Assert.Equal(["clinical", "patients"], a.Corrections.Select(c => c.Database));
        Assert.All(a.Corrections, c => Assert.Equal(new BsonDocument("profile", 0), c.Command));
        Assert.Empty(a.Uncorrectable);
    }

    [Fact]
    public void Phi_access_tier_turns_authorization_success_auditing_back_on()
    {
        var model = Models.Minimal() with { Audit = new AuditModel { Tier = AuditTier.PhiAccess, PhiNamespaces = ["patients"] } };
        var e = Snapshots.Expect(model);
        var a = MemberAnalyzer.Analyze(Snapshots.WithParameter(Snapshots.Hardened(e), "auditAuthorizationSuccess", false), e);
        Assert.Equal(BsonDocument.Parse("""{ "setParameter" : 1, "auditAuthorizationSuccess" : true }"""), Assert.Single(a.Corrections).Command);
    }

    [Fact]
    public void Ldap_parameters_are_put_back_to_the_rendered_values()
    {
        var e = Snapshots.Expect(Models.WithLdap());
        var s = Snapshots.WithParameter(Snapshots.Hardened(e), "ldapServers", "rogue.example.org:389");
        s = Snapshots.WithParameter(s, "ldapQueryUser", "cn=other,dc=example,dc=org");
        var a = MemberAnalyzer.Analyze(s, e);
        // Values from Models.WithLdap: servers dc1/dc2 on 636 and bind DN cn=q,dc=example,dc=org.
        Assert.Equal(
            [BsonDocument.Parse("""{ "setParameter" : 1, "ldapServers" : "dc1.example.org:636,dc2.example.org:636" }"""),
             BsonDocument.Parse("""{ "setParameter" : 1, "ldapQueryUser" : "cn=q,dc=example,dc=org" }""")],
            a.Corrections.Select(c => c.Command));
        Assert.Empty(a.Uncorrectable);
    }

    [Fact]
    public void Percona_telemetry_on_is_reported()
    {
        var e = Snapshots.Expect(Models.Minimal() with { Edition = MongoEdition.Percona });
        var a = MemberAnalyzer.Analyze(Snapshots.WithParameter(Snapshots.Hardened(e), "perconaTelemetry", true), e);
        Assert.Empty(a.Corrections);
        Assert.Contains("perconaTelemetry is true", Assert.Single(a.Uncorrectable), StringComparison.Ordinal);
    }

    [Fact]
    public void Undeclared_users_and_roles_are_named_with_their_roles()
    {
        var s = Snapshots.Hardened(Minimal);
        var users = s.UsersInfo!.DeepClone().AsBsonDocument;
        users["users"].AsBsonArray.Add(Snapshots.User("admin", "rogue", "root", "admin"));
        users["users"].AsBsonArray.Add(Snapshots.User("clinical", "app", "readWrite", "patients"));
        var a = MemberAnalyzer.Analyze(s with { UsersInfo = users, RolesInfo = ManualReplies.Doc(ManualReplies.RolesInfoUserDefined) }, Minimal);
        Assert.Equal(
            ["user admin.rogue holds root, outside the declared set",
             "user clinical.app holds readWrite@patients, outside the declared set",
             "custom role products.associate inherits readWrite, outside the declared set"],
            a.Uncorrectable);
        Assert.Equal(["admin.rogue", "clinical.app"], a.Parameters.UsersOutsideDeclaredSet);
        Assert.Equal(["products.associate"], a.Parameters.RolesOutsideDeclaredSet);
    }

    [Fact]
    public void Manual_users_and_built_in_roles_are_read()
    {
        var s = Snapshots.Hardened(Minimal) with
        {
            UsersInfo = ManualReplies.Doc(ManualReplies.UsersInfoExample),
            RolesInfo = ManualReplies.Doc(ManualReplies.RolesInfoBuiltIn),
        };
        var a = MemberAnalyzer.Analyze(s, Minimal);
        Assert.Equal(["admin.sajack", "admin.sajack2"], a.Parameters.UsersOutsideDeclaredSet);
        Assert.Empty(a.Parameters.RolesOutsideDeclaredSet!);
        Assert.Contains("user admin.sajack holds no roles, outside the declared set", a.Uncorrectable);
    }
}
