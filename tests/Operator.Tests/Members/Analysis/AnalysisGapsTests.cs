using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Tests.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>
/// The five later readings: runtime audit configuration, Percona's encryption status, replica-set hosts,
/// custom roles in every database, and the declared users' own grants. Every drift here is reported, never corrected.
/// </summary>
public sealed class AnalysisGapsTests
{
    private static readonly MemberExpectations Enterprise = Snapshots.Expect();
    private static readonly MemberExpectations Percona = Snapshots.Expect(Models.Minimal() with { Edition = MongoEdition.Percona });
    private static readonly MemberExpectations PhiTier = Snapshots.Expect(Models.Minimal() with
    {
        Audit = new AuditModel { Tier = AuditTier.PhiAccess, PhiNamespaces = ["patients", "clinical.notes"] },
    });

    private static MemberAnalysis Analyze(MemberSnapshot s, MemberExpectations e) => MemberAnalyzer.Analyze(s, e);

    // ---- runtime audit configuration ----

    [Fact]
    public void An_auditConfig_filter_with_other_field_order_and_number_types_is_the_rendered_filter()
    {
        var rendered = BsonDocument.Parse((string)Snapshots.Rendered(PhiTier, "auditLog.filter"));
        var reordered = Reordered(rendered);
        Assert.NotEqual(rendered.ToJson(), reordered.ToJson());

        var a = Analyze(Snapshots.Hardened(PhiTier) with { AuditConfig = GapReplies.AuditConfig(reordered, true) }, PhiTier);

        Assert.Empty(a.Uncorrectable);
        Assert.Equal([], a.Parameters.RuntimeAuditDifferences);
    }

    [Fact]
    public void An_empty_runtime_audit_filter_is_reported_not_corrected()
    {
        var a = Analyze(Snapshots.Hardened(Enterprise) with { AuditConfig = GapReplies.AuditConfig([], false) }, Enterprise);

        Assert.Empty(a.Corrections);
        var sentence = Assert.Single(a.Uncorrectable);
        Assert.StartsWith("runtime audit filter (getClusterParameter auditConfig) is '{ }'; the baseline requires the rendered filter sha256:", sentence, StringComparison.Ordinal);
        Assert.Contains("auditLog.runtimeConfiguration true, which the baseline forbids", sentence, StringComparison.Ordinal);
        Assert.Equal(["filter"], a.Parameters.RuntimeAuditDifferences);
    }

    [Fact]
    public void AuditAuthorizationSuccess_false_in_auditConfig_is_drift_when_the_tier_renders_true()
    {
        var filter = BsonDocument.Parse((string)Snapshots.Rendered(PhiTier, "auditLog.filter"));
        var a = Analyze(Snapshots.Hardened(PhiTier) with { AuditConfig = GapReplies.AuditConfig(filter, false) }, PhiTier);

        Assert.Empty(a.Corrections);
        Assert.StartsWith("auditConfig.auditAuthorizationSuccess is false; the baseline requires true", Assert.Single(a.Uncorrectable), StringComparison.Ordinal);
        Assert.Equal(["auditAuthorizationSuccess"], a.Parameters.RuntimeAuditDifferences);
    }

    public static TheoryData<string, string?> UnreadAuditReplies() => new()
    {
        { "no reply (7.0 has no auditConfig cluster parameter)", null },
        // mongod's error reply for an unknown cluster parameter carries no clusterParameters.
        { "error reply", "{ ok: 0, errmsg: 'Unknown Cluster Parameter auditConfig', code: 2, codeName: 'BadValue' }" },
        { "filter of the wrong type", "{ clusterParameters: [ { _id: 'auditConfig', filter: '{}', auditAuthorizationSuccess: false } ], ok: 1 }" },
        { "another parameter only", "{ clusterParameters: [ { _id: 'changeStreamOptions', preAndPostImages: { expireAfterSeconds: 'off' } } ], ok: 1 }" },
    };

    [Theory]
    [MemberData(nameof(UnreadAuditReplies))]
    public void An_unread_auditConfig_is_neither_drift_nor_a_difference(string because, string? reply)
    {
        var a = Analyze(Snapshots.Hardened(Enterprise) with { AuditConfig = reply is null ? null : BsonDocument.Parse(reply) }, Enterprise);
        Assert.True(a.Uncorrectable.Count == 0, because);
        Assert.Null(a.Parameters.RuntimeAuditDifferences);
    }

    [Fact]
    public void Percona_auditGetOptions_filter_text_is_compared_parsed_and_no_destination_means_auditing_off()
    {
        var rendered = (string)Snapshots.Rendered(Percona, "auditLog.filter");
        var respaced = Analyze(Snapshots.Hardened(Percona) with { AuditConfig = GapReplies.AuditGetOptions("file", rendered.Replace(" ", "", StringComparison.Ordinal)) }, Percona);
        var off = Analyze(Snapshots.Hardened(Percona) with { AuditConfig = GapReplies.AuditGetOptions("", "{}") }, Percona);

        Assert.Empty(respaced.Uncorrectable);
        Assert.Equal(["filter", "destination"], off.Parameters.RuntimeAuditDifferences);
        Assert.False(off.Parameters.AuditEnabled);
        Assert.Contains(off.Uncorrectable, u => u.StartsWith("runtime audit filter (auditGetOptions) is '{}'", StringComparison.Ordinal));
        Assert.Contains(off.Uncorrectable, u => u.StartsWith("auditGetOptions reports audit destination none (auditing is off); the baseline requires 'file'", StringComparison.Ordinal));
    }

    // ---- Percona serverStatus.encryptionAtRest ----

    [Fact]
    public void Percona_encryption_reported_off_fails_encryption_whatever_the_options_say()
    {
        var s = Snapshots.Hardened(Percona) with { ServerStatus = GapReplies.ServerStatusWithEncryption(false, "AES256-GCM", BsonNull.Value) };
        var a = Analyze(s, Percona);

        Assert.False(a.Parameters.EncryptionEnabled);
        Assert.Equal("", a.Parameters.KmipKeyId);
        Assert.StartsWith("serverStatus.encryptionAtRest reports encryption at rest off; the baseline requires it on", Assert.Single(a.Uncorrectable), StringComparison.Ordinal);
    }

    [Fact]
    public void Percona_local_key_is_reported_without_the_key_id()
    {
        var s = Snapshots.Hardened(Percona) with { ServerStatus = GapReplies.ServerStatusWithEncryption(true, "AES256-GCM", "local") };
        var a = Analyze(s, Percona);

        Assert.True(a.Parameters.EncryptionEnabled);
        Assert.Equal("", a.Parameters.KmipKeyId);
        Assert.StartsWith("serverStatus.encryptionAtRest reports a local key file as the master key; the baseline requires an external key (KMIP)",
            Assert.Single(a.Uncorrectable), StringComparison.Ordinal);
    }

    [Fact]
    public void Percona_external_key_ids_scalar_or_document_are_not_drift_and_never_shown()
    {
        var vault = new BsonDocument { { "path", "secret/data/phi-db-0" }, { "version", 3 } };
        foreach (var id in new BsonValue[] { "kmip-key-7", vault })
        {
            var cbc = Analyze(Snapshots.Hardened(Percona) with { ServerStatus = GapReplies.ServerStatusWithEncryption(true, "AES256-CBC", id) }, Percona);
            var gcm = Analyze(Snapshots.Hardened(Percona) with { ServerStatus = GapReplies.ServerStatusWithEncryption(true, "AES256-GCM", id) }, Percona);

            Assert.Empty(gcm.Uncorrectable);
            Assert.Equal("AES256-CBC", cbc.Parameters.EncryptionCipherMode);
            var sentence = Assert.Single(cbc.Uncorrectable);
            Assert.StartsWith("serverStatus.encryptionAtRest reports cipher mode 'AES256-CBC'; the baseline requires 'AES256-GCM'", sentence, StringComparison.Ordinal);
            Assert.DoesNotContain("kmip-key-7", sentence, StringComparison.Ordinal);
            Assert.DoesNotContain("secret/data", sentence, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Without_the_encryptionAtRest_section_the_options_decide_and_nothing_is_reported()
    {
        var s = Snapshots.Hardened(Percona) with { ServerStatus = ManualReplies.Doc(ManualReplies.ServerStatusSecurity) };
        var a = Analyze(s, Percona);

        Assert.Empty(a.Uncorrectable);
        Assert.True(a.Parameters.EncryptionEnabled);
        Assert.Equal("AES256-GCM", a.Parameters.EncryptionCipherMode);
    }

    // ---- replSetGetConfig hosts ----

    [Fact]
    public void Expected_member_hosts_are_member_certificate_sans_with_the_mongod_port()
    {
        var model = Models.Minimal();
        var certificate = (CertManagerObject)DesiredStateRenderer.Render(model).Get("Certificate", Names.MemberCertificate(model.Name));
        var sans = certificate.Spec["dnsNames"]!.AsArray().Select(n => (string)n!).ToList();

        Assert.Equal(model.Members, Enterprise.MemberHosts.Count);
        Assert.All(Enterprise.MemberHosts, h =>
        {
            var (name, port) = (h[..h.LastIndexOf(':')], h[(h.LastIndexOf(':') + 1)..]);
            Assert.Contains(name, sans);
            Assert.Contains(".svc.", name, StringComparison.Ordinal);
            Assert.Equal(MountPaths.MongodPort.ToString(System.Globalization.CultureInfo.InvariantCulture), port);
        });
        Assert.Equal(Enterprise.MemberHosts.Count, Enterprise.MemberHosts.Distinct().Count());
    }

    [Fact]
    public void A_config_host_outside_the_certificate_names_is_reported_and_fails_the_reading()
    {
        var hosts = Enterprise.MemberHosts.ToList();
        hosts[2] = "10.0.0.7:27017";
        var a = Analyze(Snapshots.Hardened(Enterprise) with { ReplSetConfig = GapReplies.ReplSetConfig(hosts) }, Enterprise);

        Assert.Equal(["10.0.0.7:27017"], a.Parameters.ReplicaHostsOutsideCertificates);
        Assert.Equal(
            "replica-set config lists member host '10.0.0.7:27017', which is not a member DNS name the member certificates carry "
            + "(not corrected: a replica-set reconfig is an administrator decision)",
            Assert.Single(a.Uncorrectable));
        Assert.Empty(a.Corrections);
    }

    [Fact]
    public void Hosts_differing_only_in_case_match_and_an_unread_config_is_not_drift()
    {
        var upper = Analyze(Snapshots.Hardened(Enterprise) with { ReplSetConfig = GapReplies.ReplSetConfig(Enterprise.MemberHosts.Select(h => h.ToUpperInvariant())) }, Enterprise);
        var unread = Analyze(Snapshots.Hardened(Enterprise) with { ReplSetConfig = BsonDocument.Parse("{ ok: 0, code: 94, codeName: 'NotYetInitialized' }") }, Enterprise);

        Assert.Equal([], upper.Parameters.ReplicaHostsOutsideCertificates);
        Assert.Null(unread.Parameters.ReplicaHostsOutsideCertificates);
        Assert.Empty(unread.Uncorrectable);
    }

    // ---- custom roles in every database ----

    [Fact]
    public void A_custom_role_in_another_database_is_reported()
    {
        var s = Snapshots.Hardened(Enterprise) with
        {
            RolesInfoByDatabase = new Dictionary<string, BsonDocument?> { ["clinical"] = GapReplies.NoRoles, ["products"] = ManualReplies.Doc(ManualReplies.RolesInfoUserDefined) },
        };
        var a = Analyze(s, Enterprise);

        Assert.Equal(["products.associate"], a.Parameters.RolesOutsideDeclaredSet);
        Assert.Equal(["custom role products.associate inherits readWrite, outside the declared set"], a.Uncorrectable);
    }

    [Fact]
    public void A_database_whose_roles_were_not_read_leaves_the_role_list_unread()
    {
        var s = Snapshots.Hardened(Enterprise) with
        {
            RolesInfoByDatabase = new Dictionary<string, BsonDocument?> { ["clinical"] = null, ["products"] = ManualReplies.Doc(ManualReplies.RolesInfoUserDefined) },
        };
        var a = Analyze(s, Enterprise);

        Assert.Null(a.Parameters.RolesOutsideDeclaredSet);
        Assert.Empty(a.Uncorrectable);
    }

    [Fact]
    public void Role_databases_are_the_listed_and_granted_ones_without_admin_local_config_and_external()
    {
        var users = ManualReplies.Doc("""
            { users: [ { _id: 'clinical.app', user: 'app', db: 'clinical', roles: [ { role: 'reader', db: 'billing' }, { role: 'read', db: 'local' } ] } ], ok: 1 }
            """);
        var adminRoles = ManualReplies.Doc("{ roles: [ { role: 'r', db: 'admin', isBuiltin: false, roles: [ { role: 'x', db: 'hr' } ] } ], ok: 1 }");

        var dbs = RoleDatabases.For(["admin", "config", "local", "clinical", "$external"], users, adminRoles);

        Assert.Equal(["billing", "clinical", "hr"], dbs);
    }

    // ---- declared users' own grants ----

    [Fact]
    public void Root_granted_to_the_operator_user_is_reported_and_never_revoked()
    {
        var s = Snapshots.Hardened(Enterprise);
        var users = s.UsersInfo!.DeepClone().AsBsonDocument;
        var op = users["users"].AsBsonArray.OfType<BsonDocument>().Single(u => u["user"] == Enterprise.OperatorUser);
        op["roles"].AsBsonArray.Add(new BsonDocument { { "role", "root" }, { "db", "admin" } });

        var a = Analyze(s with { UsersInfo = users }, Enterprise);

        Assert.Empty(a.Corrections);
        Assert.Equal([$"$external.{Enterprise.OperatorUser}"], a.Parameters.DeclaredUsersWithOtherGrants);
        Assert.Equal([], a.Parameters.UsersOutsideDeclaredSet);
        Assert.Equal(
            $"declared user $external.{Enterprise.OperatorUser} holds {Enterprise.OperatorRole}@admin, root@admin; "
            + $"it must hold exactly {Enterprise.OperatorRole}@admin (not revoked automatically: changing a user's grants is an administrator decision)",
            Assert.Single(a.Uncorrectable));
    }

    [Fact]
    public void A_verifier_user_stripped_of_its_role_is_drift_too()
    {
        var s = Snapshots.Hardened(Enterprise);
        var users = s.UsersInfo!.DeepClone().AsBsonDocument;
        users["users"].AsBsonArray.OfType<BsonDocument>().Single(u => u["user"] == Enterprise.VerifierUser)["roles"] = new BsonArray();

        var a = Analyze(s with { UsersInfo = users }, Enterprise);

        Assert.Equal([$"$external.{Enterprise.VerifierUser}"], a.Parameters.DeclaredUsersWithOtherGrants);
        Assert.Contains("holds no roles; it must hold exactly phiConfigVerifier@admin", Assert.Single(a.Uncorrectable), StringComparison.Ordinal);
    }

    // ---- users and roles declared by HipaaMongoUsers and spec.roles ----

    [Fact]
    public void Users_and_roles_declared_elsewhere_are_not_undeclared_but_an_unknown_one_still_is()
    {
        var s = Snapshots.Hardened(Enterprise);
        var users = s.UsersInfo!.DeepClone().AsBsonDocument;
        foreach (var name in new[] { "physicians-1", "physicians-2", "rogue" })
        {
            users["users"].AsBsonArray.Add(new BsonDocument
            {
                { "_id", $"admin.{name}" }, { "user", name }, { "db", "admin" },
                { "roles", new BsonArray { new BsonDocument { { "role", "readWrite" }, { "db", "patients" } } } },
            });
        }
        var roles = new BsonDocument("roles", new BsonArray
        {
            new BsonDocument { { "role", "patientsReader" }, { "db", "patients" }, { "isBuiltin", false }, { "roles", new BsonArray() } },
        });
        var declared = Enterprise with { DeclaredUsers = ["admin.physicians-1", "admin.physicians-2"], DeclaredRoles = ["patients.patientsReader"] };

        var without = Analyze(s with { UsersInfo = users, RolesInfoByDatabase = new Dictionary<string, BsonDocument?> { ["patients"] = roles } }, Enterprise);
        var with = Analyze(s with { UsersInfo = users, RolesInfoByDatabase = new Dictionary<string, BsonDocument?> { ["patients"] = roles } }, declared);

        Assert.Equal(["admin.physicians-1", "admin.physicians-2", "admin.rogue"], without.Parameters.UsersOutsideDeclaredSet);
        Assert.Equal(["patients.patientsReader"], without.Parameters.RolesOutsideDeclaredSet);
        Assert.Equal(["admin.rogue"], with.Parameters.UsersOutsideDeclaredSet);
        Assert.Equal([], with.Parameters.RolesOutsideDeclaredSet);
    }

    // Every document reversed field by field, and integral numbers turned into doubles: the same query filter.
    private static BsonDocument Reordered(BsonDocument d) =>
        new(d.Elements.Reverse().Select(e => new BsonElement(e.Name, Reordered(e.Value))));

    private static BsonValue Reordered(BsonValue v) => v switch
    {
        BsonDocument d => Reordered(d),
        BsonArray a => new BsonArray(a.Select(Reordered)),
        BsonInt32 i => new BsonDouble(i.Value),
        _ => v,
    };
}
