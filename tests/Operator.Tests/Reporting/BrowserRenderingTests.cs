using System.Net;
using System.Text.RegularExpressions;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>
/// The HTML report as a browser sees it: headless Chromium parses the page and the
/// control matrix, header and timeline are in the DOM it built.
/// </summary>
public sealed partial class BrowserRenderingTests
{
    [Fact]
    public async Task Chromium_shows_the_control_matrix_with_every_result()
    {
        Assert.SkipWhen(HeadlessChromium.Path is null, "chromium is not installed (scripts/install-chromium.sh)");
        var report = Reports.Mixed();
        var dom = await HeadlessChromium.DumpDomAsync(HtmlReportWriter.Write(report), TestContext.Current.CancellationToken);

        Assert.Contains("<table id=\"control-matrix\">", dom);
        var rows = Row().Matches(dom).ToDictionary(m => WebUtility.HtmlDecode(m.Groups["id"].Value), m => m.Groups["result"].Value);
        Assert.Equal(ControlCatalogue.All.Count, rows.Count);
        foreach (var control in report.Compliance.Controls)
        {
            Assert.Equal(control.Outcome.ToString(), rows[control.Control.Id]);
        }

        Assert.Contains("<span id=\"compliant\">Not compliant</span>", dom);
        Assert.Matches("<ol id=\"timeline\">\\s*<li class=\"drift\">", dom);
    }

    [Fact]
    public async Task Chromium_builds_no_script_or_image_from_hostile_text()
    {
        Assert.SkipWhen(HeadlessChromium.Path is null, "chromium is not installed (scripts/install-chromium.sh)");
        var dom = await HeadlessChromium.DumpDomAsync(HtmlReportWriter.Write(Reports.HostileReport()), TestContext.Current.CancellationToken);

        Assert.Contains("<table id=\"control-matrix\">", dom);
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", dom, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", dom);
    }

    [GeneratedRegex("<tr data-control=\"(?<id>[^\"]*)\" data-result=\"[A-Za-z]+\"><td class=\"id\">[^<]*</td><td>[^<]*</td><td class=\"result [a-z]+\">(?<result>[A-Za-z]+)</td>")]
    private static partial Regex Row();
}
