namespace HipaaMongo.Operator.Reporting;

/// <summary>The page's inline stylesheet: system fonts only and no url(), so nothing is fetched.</summary>
internal static class HtmlReportStyle
{
    public const string Css = """

        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
        main { max-width: 1200px; margin: 0 auto; padding: 24px; }
        header { border-radius: 8px; padding: 16px 24px; margin-bottom: 24px; border-left: 8px solid; background: #fff; }
        header.pass { border-color: #1a7f37; } header.fail { border-color: #cf222e; } header.unknown { border-color: #9a6700; }
        .headline { font-size: 1.5em; font-weight: 600; }
        header.pass #compliant { color: #1a7f37; } header.fail #compliant { color: #cf222e; } header.unknown #compliant { color: #9a6700; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; }
        dt { font-weight: 600; } dd { margin: 0; font-family: ui-monospace, monospace; overflow-wrap: anywhere; }
        section { background: #fff; border-radius: 8px; padding: 8px 24px 16px; margin-bottom: 24px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #d0d7de; }
        td.id { white-space: nowrap; font-family: ui-monospace, monospace; }
        td.at { white-space: nowrap; font-family: ui-monospace, monospace; }
        .legend { color: #57606a; font-size: 0.9em; }
        td ul { margin: 0; padding-left: 16px; }
        td.result { font-weight: 700; text-align: center; }
        .pass { background: #dafbe1; color: #116329; } .fail { background: #ffebe9; color: #a40e26; } .unknown { background: #fff8c5; color: #7d4e00; }
        header.pass, header.fail, header.unknown { background: #fff; color: inherit; }
        ol#timeline li { margin: 4px 0; } ol#timeline li.drift strong { color: #a40e26; }
        ol#timeline li.correction strong { color: #116329; } ol#timeline li.event strong { color: #57606a; }
        time { font-family: ui-monospace, monospace; }

        """;
}
