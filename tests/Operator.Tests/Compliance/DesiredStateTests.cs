using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Tests.Baseline;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>Expected values come from the rendered desired state, for every edition and option set.</summary>
public class DesiredStateTests
{
    [Fact]
    public void A_hardened_percona_member_set_is_compliant() =>
        Assert.True(ComplianceEvaluator.Evaluate(Observations.Passing(Observations.Model() with { Edition = MongoEdition.Percona })).Compliant);

    [Fact]
    public void A_hardened_ldap_member_set_is_compliant() =>
        Assert.True(ComplianceEvaluator.Evaluate(Observations.Passing(Models.WithLdap())).Compliant);

    [Fact]
    public void Without_a_declared_key_id_any_kmip_key_passes()
    {
        var report = ComplianceEvaluator.Evaluate(Observations.Passing(Observations.Model(keyId: null)));

        Assert.Equal(Outcome.Pass, report.Check("kmip-master-key").Outcome);
    }

    [Fact]
    public void Changing_the_audit_tier_makes_the_old_filter_fail()
    {
        var before = Observations.Passing();
        var phiTier = Observations.Model() with { Audit = new AuditModel { Tier = AuditTier.PhiAccess, PhiNamespaces = ["patients"] } };
        var after = before with { Desired = DesiredFacts.For(phiTier) };

        var report = ComplianceEvaluator.Evaluate(after);

        Assert.Equal(Outcome.Fail, report.Check("audit-filter").Outcome);
        Assert.Contains("differs from the rendered HIPAA filter", report.Check("audit-filter").Evidence);
    }

    [Fact]
    public void A_desired_state_missing_a_required_option_fails_rather_than_passes()
    {
        var o = Observations.Passing();
        var broken = o with { Desired = o.Desired with { Options = [.. o.Desired.Options.Where(x => x.Path != "net.tls.mode")] } };

        var check = ComplianceEvaluator.Evaluate(broken).Check("tls-mode");

        Assert.Equal(Outcome.Fail, check.Outcome);
        Assert.Contains("desired configuration does not set tlsMode", check.Evidence);
    }
}
