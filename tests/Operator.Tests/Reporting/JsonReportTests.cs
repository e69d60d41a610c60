using System.Text.Json;
using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>The JSON report parses, reads back into the same document and keeps the documented field order.</summary>
public sealed class JsonReportTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Json_round_trips(bool hostile)
    {
        var json = JsonReportWriter.Write(hostile ? Reports.HostileReport() : Reports.Mixed());
        var document = JsonReportWriter.Read(json);
        Assert.Equal(json, JsonReportWriter.Write(document));
        Assert.Equal(JsonReportWriter.Schema, document.Schema);
    }

    [Fact]
    public void Top_level_fields_are_camel_case_in_the_documented_order()
    {
        // docs/report.md, "JSON".
        string[] expected = ["schema", "resource", "generatedAt", "operatorVersion", "renderedConfigHash", "summary",
            "controls", "checks", "notCovered", "safeguards", "certificates", "corrections", "events"];
        using var doc = JsonDocument.Parse(JsonReportWriter.Write(Reports.Mixed()));
        Assert.Equal(expected, doc.RootElement.EnumerateObject().Select(p => p.Name));
        string[] control = ["id", "framework", "title", "family", "result", "observedAt", "enforcement", "checks"];
        Assert.Equal(control, doc.RootElement.GetProperty("controls")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Json_carries_the_summary_certificates_and_times_in_utc()
    {
        var report = Reports.Mixed();
        using var doc = JsonDocument.Parse(JsonReportWriter.Write(report));
        var root = doc.RootElement;
        Assert.Equal("2026-11-25T06:02:00Z", root.GetProperty("generatedAt").GetString());
        Assert.Equal("False", root.GetProperty("summary").GetProperty("compliant").GetString());
        Assert.Contains("MDB-SC-NETWORK", root.GetProperty("summary").GetProperty("failing").EnumerateArray().Select(e => e.GetString()));
        var kmip = root.GetProperty("certificates")[1];
        Assert.Equal("CN=phi-db-kmip-client", kmip.GetProperty("subject").GetString());
        Assert.Equal("2026-11-24T06:00:00Z", kmip.GetProperty("notAfter").GetString());
        Assert.Equal("expired", kmip.GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("{\"schema\": 3")]
    public void Bad_input_is_a_format_exception(string json) =>
        Assert.Throws<FormatException>(() => JsonReportWriter.Read(json));
}
