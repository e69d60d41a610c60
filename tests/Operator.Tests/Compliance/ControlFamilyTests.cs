using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>
/// Tables per control family: a passing observation passes everything; for each check, one realistic failure
/// makes exactly that check Fail, the controls that rely on it (secure-baseline.md 9, 10) Fail, and the
/// safeguard conditions they feed go False.
/// </summary>
public class ControlFamilyTests
{
    [Fact]
    public void A_hardened_fresh_observation_is_compliant()
    {
        var report = ComplianceEvaluator.Evaluate(Observations.Passing());

        Assert.All(report.Checks, c => Assert.True(c.Outcome == Outcome.Pass, $"{c.CheckId}: {c.Evidence}"));
        Assert.True(report.Compliant);
        Assert.Equal(ComplianceState.True, report.Summary.State);
        Assert.Equal($"{ControlCatalogue.All.Count}/{ControlCatalogue.All.Count} controls", report.Summary.Text);
        Assert.Empty(report.Summary.Failing);
        Assert.All(report.Safeguards, s => Assert.Equal(("True", ConditionReasons.Verified), (s.Status, s.Reason)));
    }

    [Theory]
    [InlineData("tls-mode", "HIPAA-164.312(c)(1) HIPAA-164.312(e)(1) CIS-4.3", "TLSEnforced")]
    [InlineData("tls-protocols", "HIPAA-164.312(e)(1) CIS-4.1 CIS-4.2", "TLSEnforced")]
    [InlineData("tls-peer-validation", "HIPAA-164.312(e)(1) CIS-4.3", "TLSEnforced")]
    [InlineData("tls-certificate-valid", "HIPAA-164.312(e)(1)", "TLSEnforced")]
    public void Transmission_family(string check, string controls, string conditions) => AssertOnlyFails(check, controls, conditions);

    [Theory]
    [InlineData("authorization", "HIPAA-164.312(a)(1) HIPAA-164.312(a)(2)(iii) HIPAA-164.312(d) CIS-2.1", "Authentication")]
    [InlineData("member-x509", "HIPAA-164.312(d) CIS-2.3", "Authentication")]
    [InlineData("localhost-bypass", "HIPAA-164.312(a)(2)(ii) HIPAA-164.312(d) CIS-2.2", "Authentication")]
    [InlineData("server-side-js", "HIPAA-164.312(a)(1) CIS-6.3", "Authentication")]
    [InlineData("declared-users", "HIPAA-164.312(a)(2)(i) CIS-3.5", "Authentication")]
    [InlineData("declared-roles", "HIPAA-164.312(a)(1) CIS-3.5", "Authentication")]
    public void Access_and_authentication_family(string check, string controls, string conditions) => AssertOnlyFails(check, controls, conditions);

    [Theory]
    [InlineData("audit-enabled", "HIPAA-164.312(a)(2)(ii) HIPAA-164.312(a)(2)(iii) HIPAA-164.312(b) CIS-5.1", "AuditLogging Authentication")]
    [InlineData("audit-filter", "HIPAA-164.312(b) CIS-5.2", "AuditLogging")]
    [InlineData("log-redaction", "HIPAA-164.312(b)", "AuditLogging")]
    public void Audit_family(string check, string controls, string conditions) => AssertOnlyFails(check, controls, conditions);

    [Theory]
    [InlineData("encryption-at-rest", "HIPAA-164.312(a)(2)(iv) HIPAA-164.310(d) CIS-4.5", "EncryptedAtRest")]
    [InlineData("encryption-cipher", "HIPAA-164.312(a)(2)(iv) HIPAA-164.312(c)(1)", "EncryptedAtRest")]
    [InlineData("kmip-master-key", "HIPAA-164.312(a)(2)(iv) HIPAA-164.310(d) CIS-4.5", "EncryptedAtRest")]
    public void Encryption_family(string check, string controls, string conditions) => AssertOnlyFails(check, controls, conditions);

    [Theory]
    [InlineData("default-deny-present", "HIPAA-164.312(a)(1) MDB-SC-NETWORK", "NetworkIsolated")]
    [InlineData("default-deny-unmodified", "HIPAA-164.312(a)(1) MDB-SC-NETWORK", "NetworkIsolated")]
    [InlineData("no-extra-policy", "HIPAA-164.312(a)(1) MDB-SC-NETWORK", "NetworkIsolated")]
    [InlineData("pod-security", "CIS-3.3", "")]
    public void Network_and_workload_family(string check, string controls, string conditions) => AssertOnlyFails(check, controls, conditions);

    [Theory]
    [InlineData("replica-set-hosts", "HIPAA-164.312(a)(1)", "")]
    [InlineData("server-build", "HIPAA-164.312(c)(1)", "")]
    public void Replica_set_config_family(string check, string controls, string conditions) => AssertOnlyFails(check, controls, conditions);

    // Replication is not a backup: an unhealthy member fails its own check and no control.
    [Fact]
    public void An_unhealthy_member_fails_replica_health_and_no_control()
    {
        var report = ComplianceEvaluator.Evaluate(Mutations.Failing["replica-members"](Observations.Passing()));

        Assert.Equal(["replica-members"], report.Checks.Where(c => c.Outcome == Outcome.Fail).Select(c => c.CheckId));
        Assert.Empty(report.Summary.Failing);
        Assert.True(report.Compliant);
    }

    [Fact]
    public void Every_check_has_a_row_in_the_family_tables() =>
        Assert.Equal(CheckCatalogue.All.Select(c => c.Id).Order(), Mutations.Failing.Keys.Order());

    [Fact]
    public void A_missing_member_fails_availability()
    {
        var o = Observations.Passing();
        var report = ComplianceEvaluator.Evaluate(o with { Members = [.. o.Members.Take(2)] });

        Assert.Equal(Outcome.Fail, report.Check("replica-members").Outcome);
        Assert.Contains("2 of 3 declared members", report.Check("replica-members").Evidence);
    }

    [Fact]
    public void A_deleted_network_policy_reads_as_policy_missing()
    {
        var report = ComplianceEvaluator.Evaluate(Mutations.Failing["default-deny-present"](Observations.Passing()));

        var condition = report.Safeguard(ConditionTypes.NetworkIsolated);
        Assert.Equal(("False", ConditionReasons.PolicyMissing), (condition.Status, condition.Reason));
        Assert.Contains("default-deny NetworkPolicy is missing", condition.Message);
        Assert.Equal(ComplianceState.False, report.ToStatus().Compliant);
        Assert.Contains("MDB-SC-NETWORK", report.ToStatus().Failing!);
    }

    private static void AssertOnlyFails(string check, string controls, string conditions)
    {
        var report = ComplianceEvaluator.Evaluate(Mutations.Failing[check](Observations.Passing()));

        Assert.Equal(new[] { check }, report.Checks.Where(c => c.Outcome == Outcome.Fail).Select(c => c.CheckId));
        Assert.Equal(Split(controls), report.Summary.Failing.Order());
        Assert.Equal(Split(conditions), report.Safeguards.Where(s => s.Status == "False").Select(s => s.Type).Order());
        Assert.False(report.Compliant);
        Assert.Equal($"{ControlCatalogue.All.Count - Split(controls).Count}/{ControlCatalogue.All.Count} controls", report.Summary.Text);
        Assert.Equal(Observations.ReadAt, report.Check(check).ObservedAt);
        Assert.False(string.IsNullOrWhiteSpace(report.Check(check).Evidence));
    }

    private static List<string> Split(string ids) => [.. ids.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order()];
}
