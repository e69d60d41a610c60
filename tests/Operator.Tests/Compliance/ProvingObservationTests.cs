using CsCheck;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reporting;
using HipaaMongo.Operator.Tests.Reporting;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>
/// The evaluator never gives Pass without the observation that proves the check (CheckDefinition.Observation):
/// for each check, the observation is taken away on one member or from the Kubernetes read, and the check must not
/// pass, whatever else the observation holds.
/// </summary>
public sealed class ProvingObservationTests
{
    // Check id -> the change that removes exactly its proving observation.
    private static readonly Dictionary<string, Func<Observation, Observation>> WithoutProof = new()
    {
        ["tls-mode"] = o => o.WithMember(p => p with { TlsMode = null }),
        ["tls-protocols"] = o => o.WithMember(p => p with { DisabledProtocols = null }),
        ["tls-peer-validation"] = o => o.WithMember(p => p with { AllowInvalidCertificates = null }),
        ["tls-certificate-valid"] = o => o.WithMember(p => p with { ServedCertificateNotAfter = null }),
        ["certificates-as-rendered"] = o => o with { Certificates = [.. o.Certificates.Select(c => c with { Differences = null })] },
        ["authorization"] = o => o.WithMember(p => p with { Authorization = null }),
        ["member-x509"] = o => o.WithMember(p => p with { ClusterAuthMode = null }),
        ["localhost-bypass"] = o => o.WithMember(p => p with { EnableLocalhostAuthBypass = null }),
        ["server-side-js"] = o => o.WithMember(p => p with { JavascriptEnabled = null }),
        ["declared-users"] = o => o.WithMember(p => p with { UsersOutsideDeclaredSet = null }),
        ["declared-roles"] = o => o.WithMember(p => p with { RolesOutsideDeclaredSet = null }),
        ["audit-enabled"] = o => o.WithMember(p => p with { AuditEnabled = null }),
        ["audit-filter"] = o => o.WithMember(p => p with { AuditFilter = null }),
        ["log-redaction"] = o => o.WithMember(p => p with { RedactClientLogData = null }),
        ["encryption-at-rest"] = o => o.WithMember(p => p with { EncryptionEnabled = null }),
        ["encryption-cipher"] = o => o.WithMember(p => p with { EncryptionCipherMode = null }),
        ["kmip-master-key"] = o => o.WithMember(p => p with { KmipKeyId = null }),
        ["default-deny-present"] = o => o.WithKubernetes(k => k with { DefaultDenyPresent = null }),
        ["default-deny-unmodified"] = o => o.WithKubernetes(k => k with { DefaultDenyUnmodified = null }),
        ["no-extra-policy"] = o => o.WithKubernetes(k => k with { PoliciesOpeningPods = null }),
        ["pod-security"] = o => o.WithKubernetes(k => k with { PodTemplateDifferences = null }),
        ["replica-set-hosts"] = o => o.WithMember(p => p with { ReplicaHostsOutsideCertificates = null }),
        ["server-build"] = o => o.WithMember(p => p with { BuildDifferences = null }),
        ["replica-members"] = o => o.WithMember(p => p with { ReplicaHealthy = null }),
    };

    [Fact]
    public void Every_check_has_a_row() =>
        Assert.Equal(CheckCatalogue.All.Select(c => c.Id).Order(), WithoutProof.Keys.Order());

    public static TheoryData<string> CheckIds() => [.. CheckCatalogue.All.Select(c => c.Id)];

    [Theory]
    [MemberData(nameof(CheckIds))]
    public void Without_its_observation_a_check_is_unknown_and_so_is_every_control_it_feeds(string check)
    {
        var report = ComplianceEvaluator.Evaluate(WithoutProof[check](Observations.Passing()));

        Assert.Equal(Outcome.Unknown, report.Check(check).Outcome);
        Assert.All(report.Controls.Where(c => c.Control.CheckIds.Contains(check)), c => Assert.Equal(Outcome.Unknown, c.Outcome));
    }

    [Fact]
    public void No_combination_of_missing_observations_lets_a_check_pass_without_its_own() =>
        Gen.Int[0, WithoutProof.Count - 1].Array[1, 6]
            .Select(Gen.Int[0, 2], (picks, member) => (Removed: picks.Select(i => WithoutProof.Keys.ElementAt(i)).Distinct().ToList(), Member: member))
            .Sample(t =>
            {
                var o = t.Removed.Aggregate(Observations.Passing(), (acc, id) => WithoutProof[id](acc));
                var report = ComplianceEvaluator.Evaluate(o);
                Assert.All(t.Removed, id => Assert.NotEqual(Outcome.Pass, report.Check(id).Outcome));
                Assert.False(report.Compliant && t.Removed.Any(id => !CheckCatalogue.OutsideTheVerdict.Any(c => c.Id == id)));
            }, iter: 300, threads: 1);

    // An Enterprise member reports no key: the reports must not show key custody as proven anywhere.
    [Theory]
    [InlineData("markdown")]
    [InlineData("json")]
    [InlineData("html")]
    public void A_report_without_the_member_key_shows_no_pass_for_key_custody(string format)
    {
        var compliance = ComplianceEvaluator.Evaluate(Observations.Passing().WithMember(p => p with { KmipKeyId = null }, index: 0));
        var report = Reports.Mixed() with { Compliance = compliance };

        var text = Reports.Render(format, report);

        foreach (var id in new[] { "kmip-master-key", "HIPAA-164.312(a)(2)(iv)", "HIPAA-164.310(d)", "CIS-4.5" })
        {
            Assert.Equal(Outcome.Unknown, id.StartsWith("kmip", StringComparison.Ordinal) ? compliance.Check(id).Outcome : compliance.Control(id).Outcome);
        }

        Assert.Contains("does not report the master key", text, StringComparison.Ordinal);
        Assert.Contains("HIPAA-164.308(a)(7)", text, StringComparison.Ordinal);
        Assert.Contains("no backup is configured", text, StringComparison.Ordinal);
        Assert.False(compliance.Compliant);
    }
}
