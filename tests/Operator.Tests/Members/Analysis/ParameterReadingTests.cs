using System.Reflection;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Tests.Compliance;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

public sealed class ParameterReadingTests
{
    private static readonly MemberExpectations Expected = Snapshots.Expect();

    [Fact]
    public void A_hardened_member_reads_as_the_baseline_requires()
    {
        var a = MemberAnalyzer.Analyze(Snapshots.Hardened(Expected), Expected);
        var p = a.Parameters;
        // The values secure-baseline.md 7.4 / 8.1 require, written literally.
        Assert.Equal("requireTLS", p.TlsMode);
        Assert.Equal("TLS1_0,TLS1_1", p.DisabledProtocols);
        Assert.False(p.AllowInvalidCertificates);
        Assert.False(p.AllowInvalidHostnames);
        Assert.Equal("x509", p.ClusterAuthMode);
        Assert.Equal("enabled", p.Authorization);
        Assert.True(p.RedactClientLogData);
        Assert.True(p.AuditEnabled);
        Assert.True(p.EncryptionEnabled);
        Assert.Equal("AES256-GCM", p.EncryptionCipherMode);
        // Enterprise reports no key at run time, and the options never prove custody.
        Assert.Null(p.KmipKeyId);
        Assert.False(p.JavascriptEnabled);
        Assert.False(p.EnableLocalhostAuthBypass);
        Assert.Empty(p.UsersOutsideDeclaredSet!);
        Assert.Empty(p.RolesOutsideDeclaredSet!);
        Assert.True(p.ReplicaHealthy);
        Assert.Equal(MemberRole.Primary, a.Role);
        Assert.True(a.ReplicaHealthy);
        Assert.Equal(new DateTimeOffset(2027, 2, 23, 6, 0, 0, TimeSpan.Zero), a.TlsExpiry);
    }

    [Fact]
    public void A_hardened_enterprise_member_passes_every_member_check_but_key_custody_which_it_cannot_show()
    {
        var report = Evaluate(MemberAnalyzer.Analyze(Snapshots.Hardened(Expected), Expected).Parameters);

        Assert.Equal(["kmip-master-key"], report.Checks.Where(c => c.Outcome != Outcome.Pass).Select(c => c.CheckId));
        Assert.Equal(Outcome.Unknown, report.Check("kmip-master-key").Outcome);
        Assert.Contains("the configuration alone does not prove custody", report.Check("kmip-master-key").Evidence, StringComparison.Ordinal);
        Assert.False(report.Compliant);
    }

    [Fact]
    public void A_hardened_member_whose_reported_kmip_key_the_server_holds_active_passes_every_check_of_the_evaluator()
    {
        var reporting = Snapshots.Hardened(Expected) with
        {
            ServerStatus = GapReplies.ServerStatusWithEncryption(true, "AES256-GCM", "any-kmip-key"),
        };

        // The key's state is the KMIP server's word (read by the verification step's probe), not the member's.
        var parameters = MemberAnalyzer.Analyze(reporting, Expected).Parameters! with { KmipKeyState = "Active" };
        var report = Evaluate(parameters);

        Assert.True(report.Compliant, string.Join("; ", report.Checks.Where(c => c.Outcome != Outcome.Pass).Select(c => $"{c.CheckId}: {c.Evidence}")));
    }

    private static ComplianceReport Evaluate(MemberParameters parameters)
    {
        var passing = Observations.Passing(Tests.Baseline.Models.Minimal());
        return ComplianceEvaluator.Evaluate(passing with { Members = [.. passing.Members.Select(m => m with { Parameters = parameters })] });
    }

    [Fact]
    public void The_key_id_percona_reports_in_its_kmip_shape_is_read()
    {
        // key_id.cpp, KmipKeyId::serializeToServerStatus: encryptionKeyId is {kmip: {keyId}}.
        var keyId = new BsonDocument("kmip", new BsonDocument("keyId", "42"));
        var s = Snapshots.Hardened(Expected) with { ServerStatus = GapReplies.ServerStatusWithEncryption(true, "AES256-GCM", keyId) };

        Assert.Equal("42", MemberAnalyzer.Analyze(s, Expected).Parameters.KmipKeyId);
    }

    [Fact]
    public void The_manual_getCmdLineOpts_example_reads_as_mongod_defaults()
    {
        var s = Snapshots.Hardened(Expected) with { CmdLineOpts = ManualReplies.Doc(ManualReplies.CmdLineOptsExample) };
        var p = MemberAnalyzer.Analyze(s, Expected).Parameters;
        // Absent options are mongod's defaults (secure-baseline.md 2.1, 6).
        Assert.Equal("TLS1_0", p.DisabledProtocols);
        Assert.False(p.AllowInvalidCertificates);
        Assert.False(p.AllowInvalidHostnames);
        Assert.Equal("disabled", p.Authorization);
        Assert.True(p.JavascriptEnabled);
        Assert.False(p.EncryptionEnabled);
        Assert.Equal("", p.KmipKeyId);
        Assert.False(p.AuditEnabled);
    }

    [Fact]
    public void Nothing_read_leaves_every_field_null()
    {
        var a = MemberAnalyzer.Analyze(new MemberSnapshot(), Expected);
        foreach (var property in typeof(MemberParameters).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.True(property.GetValue(a.Parameters) is null, $"{property.Name} was guessed");
        }

        Assert.Equal(MemberRole.Unknown, a.Role);
        Assert.False(a.ReplicaHealthy);
        Assert.Null(a.TlsExpiry);
        Assert.Empty(a.Corrections);
        Assert.Empty(a.Uncorrectable);
    }

    public static TheoryData<string, string> Breaks() => new()
    {
        { "TlsMode", "param tlsMode" }, { "TlsMode", "param tlsMode=1" },
        { "ClusterAuthMode", "param clusterAuthMode" }, { "ClusterAuthMode", "param clusterAuthMode=true" },
        { "RedactClientLogData", "param redactClientLogData" }, { "RedactClientLogData", "param redactClientLogData=\"yes\"" },
        { "EnableLocalhostAuthBypass", "param enableLocalhostAuthBypass" }, { "EnableLocalhostAuthBypass", "param enableLocalhostAuthBypass=0" },
        { "DisabledProtocols", "parsed net.tls.disabledProtocols=5" },
        { "AllowInvalidCertificates", "parsed net.tls.allowInvalidCertificates=\"sure\"" },
        { "AllowInvalidHostnames", "parsed net.tls.allowInvalidHostnames=1" },
        { "Authorization", "parsed security.authorization=true" },
        { "Authorization", "parsed security.transitionToAuth=\"maybe\"" },
        { "AuditFilter", "parsed auditLog.filter={}" },
        { "EncryptionEnabled", "parsed security.enableEncryption=\"on\"" },
        { "KmipKeyId", "parsed security.enableEncryption=\"on\"" },
        { "KmipKeyId", "parsed security.kmip.keyIdentifier=7" },
        { "EncryptionCipherMode", "parsed security.encryptionCipherMode=256" },
        { "JavascriptEnabled", "parsed security.javascriptEnabled=\"no\"" },
        { "UsersOutsideDeclaredSet", "users users=\"all\"" },
        { "UsersOutsideDeclaredSet", "users users=[{\"db\":\"admin\"}]" },
        { "RolesOutsideDeclaredSet", "roles roles=1" },
        { "RolesOutsideDeclaredSet", "roles roles=[{\"role\":\"x\",\"db\":\"admin\",\"roles\":\"root\"}]" },
        { "ReplicaHealthy", "repl members" },
        { "ReplicaHealthy", "repl members=[{\"self\":true,\"health\":\"1\",\"state\":1}]" },
        { "ReplicaHealthy", "repl members=[{\"health\":1,\"state\":1}]" },
    };

    [Theory]
    [MemberData(nameof(Breaks))]
    public void A_missing_or_wrong_typed_field_is_not_read(string field, string breaking)
    {
        var s = Break(Snapshots.Hardened(Expected), breaking);
        var p = MemberAnalyzer.Analyze(s, Expected).Parameters;
        Assert.Null(typeof(MemberParameters).GetProperty(field)!.GetValue(p));
    }

    [Fact]
    public void Parsed_that_is_not_a_document_leaves_startup_fields_unread()
    {
        var s = Snapshots.Hardened(Expected) with { CmdLineOpts = new BsonDocument { { "argv", new BsonArray() }, { "parsed", "x" }, { "ok", 1 } } };
        var p = MemberAnalyzer.Analyze(s, Expected).Parameters;
        Assert.Null(p.DisabledProtocols);
        Assert.Null(p.JavascriptEnabled);
        Assert.Null(p.AuditEnabled);
        Assert.Equal("requireTLS", p.TlsMode); // getParameter still read
    }

    [Fact]
    public void Unread_fields_make_the_evaluator_unknown_never_pass()
    {
        var p = MemberAnalyzer.Analyze(Break(Snapshots.Hardened(Expected), "param tlsMode=1"), Expected).Parameters;
        var passing = Observations.Passing(Tests.Baseline.Models.Minimal());
        var o = passing with { Members = [.. passing.Members.Select(m => m with { Parameters = p })] };
        var report = ComplianceEvaluator.Evaluate(o);
        Assert.Equal(Outcome.Unknown, report.Check("tls-mode").Outcome);
    }

    [Theory]
    [InlineData(0, MemberRole.Startup)]
    [InlineData(1, MemberRole.Primary)]
    [InlineData(2, MemberRole.Secondary)]
    [InlineData(3, MemberRole.Recovering)]
    [InlineData(5, MemberRole.Startup)]
    [InlineData(6, MemberRole.Unknown)]
    [InlineData(7, MemberRole.Arbiter)]
    [InlineData(8, MemberRole.Down)]
    [InlineData(9, MemberRole.Recovering)]
    [InlineData(10, MemberRole.Unknown)]
    [InlineData(42, MemberRole.Unknown)]
    public void MyState_maps_onto_the_role(int myState, MemberRole role)
    {
        // State numbers from the manual's replSetGetStatus / "Replica Set Member States" table.
        var status = ManualReplies.Doc(ManualReplies.ReplSetGetStatusPrimary);
        status["myState"] = myState;
        var a = MemberAnalyzer.Analyze(new MemberSnapshot { ReplSetStatus = status }, Expected);
        Assert.Equal(role, a.Role);
    }

    [Fact]
    public void A_secondary_in_the_manual_shape_is_healthy_and_an_unhealthy_self_is_not()
    {
        var status = ManualReplies.Doc(ManualReplies.ReplSetGetStatusPrimary);
        status["myState"] = 2;
        status["members"][0]["self"] = false;
        status["members"][1]["self"] = true;
        Assert.True(MemberAnalyzer.Analyze(new MemberSnapshot { ReplSetStatus = status }, Expected).Parameters.ReplicaHealthy);
        status["members"][1]["health"] = 0.0;
        Assert.False(MemberAnalyzer.Analyze(new MemberSnapshot { ReplSetStatus = status }, Expected).Parameters.ReplicaHealthy);
    }

    [Fact]
    public void A_string_expiry_is_not_read()
    {
        var ss = ManualReplies.Doc(ManualReplies.ServerStatusSecurity);
        ss["security"]["SSLServerCertificateExpirationDate"] = "2027-02-23T06:00:00Z";
        Assert.Null(MemberAnalyzer.Analyze(new MemberSnapshot { ServerStatus = ss }, Expected).TlsExpiry);
    }

    /// <summary>"param name[=json]", "parsed path[=json]", "users field[=json]", "roles …", "repl …": no value removes.</summary>
    internal static MemberSnapshot Break(MemberSnapshot s, string how)
    {
        var (kind, rest) = (how[..how.IndexOf(' ')], how[(how.IndexOf(' ') + 1)..]);
        var eq = rest.IndexOf('=');
        var path = eq < 0 ? rest : rest[..eq];
        BsonValue? value = eq < 0 ? null : BsonDocument.Parse($"{{\"v\":{rest[(eq + 1)..]}}}")["v"];
        return kind switch
        {
            "param" => Snapshots.WithParameter(s, path, value),
            "parsed" => Snapshots.WithParsed(s, path, value),
            "users" => s with { UsersInfo = Set(s.UsersInfo!, path, value) },
            "roles" => s with { RolesInfo = Set(s.RolesInfo!, path, value) },
            "repl" => s with { ReplSetStatus = Set(s.ReplSetStatus!, path, value) },
            _ => throw new ArgumentException(how),
        };
    }

    private static BsonDocument Set(BsonDocument doc, string field, BsonValue? value)
    {
        var copy = doc.DeepClone().AsBsonDocument;
        if (value is null)
        {
            copy.Remove(field);
        }
        else
        {
            copy[field] = value;
        }

        return copy;
    }
}
