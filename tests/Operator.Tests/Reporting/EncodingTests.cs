using System.Text.Json;
using System.Text.RegularExpressions;
using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>Hostile evidence, names and Events stay inert text in every format; the HTML page loads nothing.</summary>
public sealed class EncodingTests
{
    [Fact]
    public void Html_encodes_hostile_text_in_every_field()
    {
        var html = HtmlReportWriter.Write(Reports.HostileReport());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;", html);
        Assert.Contains("&#39;q&#39;", html);
        // Every tag left in the page is one the writer emits; none came from the input.
        var tags = Regex.Matches(html, "<([a-zA-Z!/][a-zA-Z0-9]*)").Select(m => m.Groups[1].Value.TrimStart('/').ToLowerInvariant()).ToHashSet();
        string[] allowed = ["!doctype", "html", "head", "meta", "title", "style", "body", "main", "header", "h1", "h2", "p", "span",
            "dl", "dt", "dd", "section", "table", "thead", "tbody", "tr", "th", "td", "ul", "ol", "li", "time", "strong"];
        Assert.Empty(tags.Except(allowed));
    }

    [Fact]
    public void Markdown_encodes_html_and_escapes_markdown_syntax()
    {
        var md = MarkdownReportWriter.Write(Reports.HostileReport());
        Assert.DoesNotContain("<script", md, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", md, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("[click](", md);
        Assert.Contains("\\[click\\](javascript:alert(1))", md);
        Assert.Contains("\\|", md);
    }

    [Fact]
    public void Json_keeps_the_exact_text_but_escapes_angle_brackets()
    {
        var json = JsonReportWriter.Write(Reports.HostileReport());
        Assert.DoesNotContain("<script", json, StringComparison.OrdinalIgnoreCase);
        using var doc = JsonDocument.Parse(json);
        var evidence = doc.RootElement.GetProperty("controls")[0].GetProperty("checks")[0].GetProperty("evidence").GetString();
        Assert.Equal(Reports.Hostile, evidence);
        Assert.Equal(Reports.Hostile, doc.RootElement.GetProperty("resource").GetProperty("name").GetString());
    }

    [Fact]
    public void Html_references_nothing_outside_the_page()
    {
        foreach (var report in new[] { Reports.Passing(), Reports.Mixed() })
        {
            var html = HtmlReportWriter.Write(report);
            foreach (var forbidden in new[] { "src=", "href=", "url(", "@import", "<link", "<script", "<iframe", "<object", "http://", "https://" })
            {
                Assert.DoesNotContain(forbidden, html, StringComparison.OrdinalIgnoreCase);
            }

            // And a browser would refuse to fetch anything anyway.
            Assert.Contains("content=\"default-src 'none'; style-src 'unsafe-inline'\"", html);
        }
    }
}
