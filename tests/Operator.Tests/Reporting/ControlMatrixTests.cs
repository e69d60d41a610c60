using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>Every format lists every catalogue control with the result the evaluator gave it.</summary>
public sealed partial class ControlMatrixTests
{
    [Fact]
    public void The_mixed_report_has_every_outcome_so_the_matrix_tests_can_fail()
    {
        var outcomes = Reports.Mixed().Compliance.Controls.Select(c => c.Outcome).Distinct().ToList();
        Assert.Equal(3, outcomes.Count);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("markdown")]
    [InlineData("html")]
    public void Every_control_appears_with_its_result(string format)
    {
        var report = Reports.Mixed();
        var rendered = Results(format, Reports.Render(format, report));
        foreach (var control in ControlCatalogue.All)
        {
            Assert.True(rendered.TryGetValue(control.Id, out var result), $"{control.Id} missing from {format}");
            Assert.Equal(report.Compliance.Control(control.Id).Outcome.ToString(), result);
        }

        Assert.Equal(ControlCatalogue.All.Count, rendered.Count);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("markdown")]
    [InlineData("html")]
    public void A_missing_default_deny_policy_shows_the_network_controls_failing(string format)
    {
        // docs/compliance.md: default-deny-present feeds MDB-SC-NETWORK and HIPAA-164.312(a)(1).
        var rendered = Results(format, Reports.Render(format, Reports.Mixed()));
        Assert.Equal("Fail", rendered["MDB-SC-NETWORK"]);
        Assert.Equal("Fail", rendered["HIPAA-164.312(a)(1)"]);
    }

    [Fact]
    public void The_html_header_says_whether_the_deployment_is_compliant_and_how_many_controls_passed()
    {
        var total = ControlCatalogue.All.Count;
        var passing = HtmlReportWriter.Write(Reports.Passing());
        Assert.Contains("<span id=\"compliant\">Compliant</span>", passing);
        Assert.Contains($"<span id=\"controls\">{total}/{total} controls</span>", passing);

        var mixed = Reports.Mixed();
        var html = HtmlReportWriter.Write(mixed);
        Assert.Contains("<span id=\"compliant\">Not compliant</span>", html);
        var passed = mixed.Compliance.Controls.Count(c => c.Outcome == Outcome.Pass);
        Assert.True(passed < total);
        Assert.Contains($"<span id=\"controls\">{passed}/{total} controls</span>", html);
    }

    [Fact]
    public void The_html_colours_each_result_by_its_outcome()
    {
        var html = HtmlReportWriter.Write(Reports.Mixed());
        foreach (Match row in HtmlRow().Matches(html))
        {
            Assert.Equal(row.Groups["result"].Value.ToLowerInvariant(), row.Groups["css"].Value);
        }

        Assert.Matches(@"\.pass \{ background: #[0-9a-f]{6}", html);
        Assert.Matches(@"\.fail \{ background: #[0-9a-f]{6}", html);
        Assert.Matches(@"\.unknown \{ background: #[0-9a-f]{6}", html);
    }

    private static Dictionary<string, string> Results(string format, string text) => format switch
    {
        "json" => JsonResults(text),
        "markdown" => MarkdownResults(text),
        _ => HtmlRow().Matches(text).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["id"].Value), m => m.Groups["result"].Value),
    };

    private static Dictionary<string, string> JsonResults(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.GetProperty("controls").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("result").GetString()!);
    }

    // Rows of the control matrix: "| id | title | result | evidence | observed |" (the only 5-column table).
    private static Dictionary<string, string> MarkdownResults(string md)
    {
        var section = md[md.IndexOf("## Control matrix", StringComparison.Ordinal)..md.IndexOf("## Checks", StringComparison.Ordinal)];
        return section.Split('\n')
            .Where(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| Control |", StringComparison.Ordinal))
            .Select(l => l.Split(" | "))
            .ToDictionary(cells => cells[0][2..], cells => cells[2]);
    }

    [GeneratedRegex("<tr data-control=\"(?<id>[^\"]*)\"[^>]*>.*?<td class=\"result (?<css>[a-z]+)\">(?<result>[A-Za-z]+)</td>")]
    private static partial Regex HtmlRow();
}
