using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>The --format values the report command will accept, and a clear error for anything else.</summary>
public sealed class ReportFormatTests
{
    [Theory]
    [InlineData("json", ReportFormat.Json)]
    [InlineData("Markdown", ReportFormat.Markdown)]
    [InlineData("md", ReportFormat.Markdown)]
    [InlineData(" HTML ", ReportFormat.Html)]
    public void Known_formats_parse(string name, ReportFormat expected) =>
        Assert.Equal(expected, EvidenceReportWriter.ParseFormat(name));

    [Theory]
    [InlineData("pdf")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_formats_name_the_valid_ones(string? name)
    {
        var e = Assert.Throws<ArgumentException>(() => EvidenceReportWriter.ParseFormat(name));
        Assert.Contains("json, markdown, html", e.Message);
    }

    [Fact]
    public void Each_format_starts_as_its_kind_of_document()
    {
        var report = Reports.Passing();
        Assert.StartsWith("{", EvidenceReportWriter.Write(ReportFormat.Json, report));
        Assert.StartsWith("# Evidence report: phi/phi-db", EvidenceReportWriter.Write(ReportFormat.Markdown, report));
        Assert.StartsWith("<!DOCTYPE html>", EvidenceReportWriter.Write(ReportFormat.Html, report));
    }
}
