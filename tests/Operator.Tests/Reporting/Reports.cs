using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reporting;
using HipaaMongo.Operator.Tests.Compliance;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>Evidence reports for the writer tests, built from real evaluator output.</summary>
internal static class Reports
{
    public const string Hostile =
        "<script>alert(\"x\")</script> <img src=\"http://evil.example/x.png\"> & 'q' | [click](javascript:alert(1)) *b*";

    public static readonly DateTimeOffset GeneratedAt = Observations.Now + TimeSpan.FromMinutes(2);

    /// <summary>All controls pass.</summary>
    public static EvidenceReport Passing() => From(ComplianceEvaluator.Evaluate(Observations.Passing()));

    /// <summary>
    /// Default-deny policy missing (Fail for the network controls, docs/compliance.md) and one member
    /// unreachable (Unknown for the member checks): every outcome appears.
    /// </summary>
    public static EvidenceReport Mixed() => From(ComplianceEvaluator.Evaluate(Observations.Passing()
        .WithKubernetes(k => k with { DefaultDenyPresent = false })
        .WithMemberFinding(m => m with { Reachable = false })));

    /// <summary>Hostile text in every free-text field an attacker could influence.</summary>
    public static EvidenceReport HostileReport()
    {
        var r = Mixed();
        var c = r.Compliance;
        var controls = c.Controls.Select(x => x with { Checks = [.. x.Checks.Select(k => k with { Evidence = Hostile })] }).ToList();
        return r with
        {
            Namespace = Hostile,
            Name = Hostile,
            Compliance = c with { Controls = controls },
            Certificates = [new CertificateEntry(Hostile, Hostile, null)],
            Corrections = [new DriftCorrection(Observations.Now, Observations.Now, Hostile, Hostile, Hostile)],
            Events = [new ReportEvent(Observations.Now, "Warning", Hostile, Hostile)],
        };
    }

    public static string Render(string format, EvidenceReport report) =>
        EvidenceReportWriter.Write(EvidenceReportWriter.ParseFormat(format), report);

    private static EvidenceReport From(ComplianceReport compliance) => new(
        "phi",
        "phi-db",
        GeneratedAt,
        "1.2.3-test",
        compliance,
        "sha256:" + new string('a', 64),
        [
            new CertificateEntry("phi-db-member", "CN=phi-db-0.phi-db.phi.svc,O=phi-db-members", Observations.Now + TimeSpan.FromDays(60)),
            new CertificateEntry("phi-db-kmip-client", "CN=phi-db-kmip-client", Observations.Now - TimeSpan.FromDays(1)),
        ],
        [
            new DriftCorrection(Observations.Now - TimeSpan.FromMinutes(4), Observations.Now - TimeSpan.FromMinutes(3),
                "NetworkPolicy", "NetworkPolicy phi/phi-db-default-deny", "the default-deny NetworkPolicy was deleted"),
        ],
        [
            new ReportEvent(Observations.Now - TimeSpan.FromSeconds(210), "Warning", "ControlFailed",
                "MDB-SC-NETWORK Limit network exposure: passed -> failed"),
        ]);
}
