using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>Certificates show subject, expiry and their state when the report was generated.</summary>
public sealed class CertificateTests
{
    [Fact]
    public void Html_marks_an_expired_certificate_as_failing_and_a_valid_one_with_days_left()
    {
        // Fixture: the member certificate expires 60 days after evaluation, the KMIP client one a day before.
        var html = HtmlReportWriter.Write(Reports.Mixed());
        Assert.Contains("<tr><td>phi-db-kmip-client</td><td>CN=phi-db-kmip-client</td><td>2026-11-24T06:00:00Z</td><td class=\"result fail\">expired</td></tr>", html);
        Assert.Contains("<td>2027-01-24T06:00:00Z</td><td class=\"result pass\">valid, 59 days left</td>", html);
    }

    [Fact]
    public void Markdown_lists_each_certificate_with_subject_and_expiry()
    {
        var md = MarkdownReportWriter.Write(Reports.Mixed());
        Assert.Contains("| phi-db-member | CN=phi-db-0.phi-db.phi.svc,O=phi-db-members | 2027-01-24T06:00:00Z | valid, 59 days left |", md);
        Assert.Contains("| phi-db-kmip-client | CN=phi-db-kmip-client | 2026-11-24T06:00:00Z | expired |", md);
    }

    [Fact]
    public void A_certificate_not_yet_issued_is_shown_as_such()
    {
        var report = Reports.Passing() with { Certificates = [new CertificateEntry("phi-db-member", "CN=phi-db", null)] };
        Assert.Contains("| phi-db-member | CN=phi-db | not observed | not issued or not read |", MarkdownReportWriter.Write(report));
        Assert.Contains("<td class=\"result unknown\">not issued or not read</td>", HtmlReportWriter.Write(report));
    }
}
