using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Tests.Baseline;

public class MongodConfigRendererTests
{
    // Verbatim from secure-baseline.md 4.4 (tier 1 filter).
    private const string Tier1FilterFromDoc =
        "'{ atype: { $in: [ \"authenticate\", \"logout\", \"authCheck\", \"createUser\", \"dropUser\", \"dropAllUsersFromDatabase\", \"updateUser\", \"grantRolesToUser\", \"revokeRolesFromUser\", \"createRole\", \"updateRole\", \"dropRole\", \"dropAllRolesFromDatabase\", \"grantRolesToRole\", \"revokeRolesFromRole\", \"grantPrivilegesToRole\", \"revokePrivilegesFromRole\", \"directAuthMutation\", \"createDatabase\", \"dropDatabase\", \"createCollection\", \"dropCollection\", \"renameCollection\", \"dropIndex\", \"replSetReconfig\", \"setClusterParameter\", \"startup\", \"startupOptions\", \"shutdown\", \"applicationMessage\" ] } }'";

    // Verbatim from secure-baseline.md 4.4 (tier 2 filter, PHI databases patients and clinical).
    private const string Tier2FilterFromDoc =
        "'{ $or: [ { atype: { $in: [ \"authenticate\", \"logout\", \"createUser\", \"dropUser\", \"dropAllUsersFromDatabase\", \"updateUser\", \"grantRolesToUser\", \"revokeRolesFromUser\", \"createRole\", \"updateRole\", \"dropRole\", \"dropAllRolesFromDatabase\", \"grantRolesToRole\", \"revokeRolesFromRole\", \"grantPrivilegesToRole\", \"revokePrivilegesFromRole\", \"directAuthMutation\", \"createDatabase\", \"dropDatabase\", \"createCollection\", \"dropCollection\", \"renameCollection\", \"dropIndex\", \"replSetReconfig\", \"setClusterParameter\", \"startup\", \"startupOptions\", \"shutdown\", \"applicationMessage\" ] } }, { atype: \"authCheck\", result: { $ne: 0 } }, { atype: \"authCheck\", \"param.ns\": /^(patients|clinical)\\\\./, \"param.command\": { $in: [ \"find\", \"getMore\", \"aggregate\", \"count\", \"distinct\", \"insert\", \"update\", \"delete\", \"findAndModify\", \"bulkWrite\" ] } } ] }'";

    [Fact]
    public void Tier1_filter_line_is_the_documented_filter_in_single_quotes()
    {
        var text = MongodConfigRenderer.Render(Models.Minimal());
        Assert.Contains("\n  filter: " + Tier1FilterFromDoc + "\n", text);
        Assert.Contains("\n  auditAuthorizationSuccess: false\n", text);
    }

    [Fact]
    public void Tier2_filter_line_is_the_documented_filter_with_literal_double_backslash()
    {
        var model = Models.Minimal() with { Audit = new AuditModel { Tier = AuditTier.PhiAccess, PhiNamespaces = ["patients", "clinical"] } };
        var text = MongodConfigRenderer.Render(model);
        Assert.Contains("\n  filter: " + Tier2FilterFromDoc + "\n", text);
        Assert.Contains("\n  auditAuthorizationSuccess: true\n", text);
    }

    [Fact]
    public void Collection_entries_match_only_that_collection()
    {
        Assert.Equal("/^(patients\\\\.|clinical\\\\.notes$)/", AuditFilters.NamespaceRegex(["patients", "clinical.notes"]));
    }

    [Fact]
    public void Exact_keys_and_quoting_of_the_reference_config()
    {
        var text = MongodConfigRenderer.Render(Models.Minimal());
        // secure-baseline.md 8.1 lines, including the quoting rules of its YAML note.
        string[] expected =
        [
            "storage:\n  dbPath: /data/db\n",
            "net:\n  port: 27017\n  bindIpAll: true\n  tls:\n    mode: requireTLS\n",
            "    certificateKeyFile: /etc/mongodb/tls/tls-combined.pem\n",
            "    CAFile: /etc/mongodb/tls/ca.crt\n",
            "    allowConnectionsWithoutCertificates: false\n",
            "    disabledProtocols: TLS1_0,TLS1_1\n",
            "security:\n  authorization: enabled\n  clusterAuthMode: x509\n  javascriptEnabled: false\n  redactClientLogData: true\n  enableEncryption: true\n",
            // An Int in both editions' option declarations, so unquoted (docs/baseline.md), unlike 8.1's "5696".
            "    port: 5696\n",
            "    activateKeys: true\n",
            "auditLog:\n  destination: file\n  format: JSON\n",
            "  path: /data/db/audit/auditLog.json\n",
            "operationProfiling:\n  mode: \"off\"\n",
            "replication:\n  replSetName: phi-db\n",
            "  enableLocalhostAuthBypass: false\n",
            "  tlsX509ExpirationWarningThresholdDays: 30\n",
        ];
        Assert.All(expected, line => Assert.Contains(line, text));
        Assert.DoesNotContain("allowInvalid", text);
        Assert.DoesNotContain("encryptionKeyFile", text);
        Assert.DoesNotContain("transitionToAuth", text);
    }

    [Fact]
    public void Every_required_locked_option_reads_back_with_its_value()
    {
        foreach (var edition in new[] { MongoEdition.Enterprise, MongoEdition.Percona })
        {
            var conf = Parse(MongodConfigRenderer.Render(Models.Minimal() with { Edition = edition }));
            foreach (var option in LockedOptions.For(edition).Where(o => o.Kind == LockKind.Required))
            {
                Assert.Equal(JsonValue.Create(option.Value)!.ToJsonString(), At(conf, option.Path)?.ToJsonString());
            }
        }
    }

    [Fact]
    public void Editions_differ_exactly_as_documented()
    {
        var enterprise = Parse(MongodConfigRenderer.Render(Models.Minimal()));
        var percona = Parse(MongodConfigRenderer.Render(Models.Minimal() with { Edition = MongoEdition.Percona }));
        // Percona: telemetry off (secure-baseline.md 1, 6); authFailedDelayMs is Enterprise only (6).
        Assert.Equal("false", At(percona, "setParameter.perconaTelemetry")?.ToJsonString());
        Assert.Null(At(percona, "setParameter.authFailedDelayMs"));
        Assert.Null(At(enterprise, "setParameter.perconaTelemetry"));
        Assert.Equal("1000", At(enterprise, "setParameter.authFailedDelayMs")?.ToJsonString());
    }

    [Fact]
    public void Ldap_is_tls_only_adds_PLAIN_and_keeps_the_password_out_of_the_file()
    {
        var conf = Parse(MongodConfigRenderer.Render(Models.WithLdap()));
        Assert.Equal("tls", At(conf, "security.ldap.transportSecurity")?.GetValue<string>());
        Assert.Equal("dc1.example.org:636,dc2.example.org:636", At(conf, "security.ldap.servers")?.GetValue<string>());
        Assert.Equal("SCRAM-SHA-256,MONGODB-X509,PLAIN", At(conf, "setParameter.authenticationMechanisms")?.GetValue<string>());
        Assert.Equal("cat /etc/mongodb/ldap-bind/password", At(conf, "security.ldap.bind.queryPassword.__exec")?.GetValue<string>());
        Assert.DoesNotContain("PLAIN", MongodConfigRenderer.Render(Models.Minimal()));
    }

    [Fact]
    public void Kmip_servers_share_one_port_rendered_as_the_int_mongod_declares()
    {
        var conf = Parse(MongodConfigRenderer.Render(Models.Minimal()));
        Assert.Equal("kmip-a.example.org,kmip-b.example.org", At(conf, "security.kmip.serverName")?.GetValue<string>());
        Assert.Equal(5696, At(conf, "security.kmip.port")?.GetValue<long>());
        Assert.Contains("    port: 5696\n", MongodConfigRenderer.Render(Models.Minimal()));
        Assert.Equal(900, At(conf, "security.kmip.keyStatePollingSeconds")?.GetValue<long>());
    }

    private static JsonNode Parse(string yaml) => YamlJson.Single(yaml);

    private static JsonNode? At(JsonNode root, string path) => YamlJson.At(root, path);
}
