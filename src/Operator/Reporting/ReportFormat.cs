namespace HipaaMongo.Operator.Reporting;

/// <summary>The formats `hipaa-mongo report --format` accepts.</summary>
public enum ReportFormat
{
    Json,
    Markdown,
    Html,
}

/// <summary>One entry point for the report command: parse the --format value and render.</summary>
public static class EvidenceReportWriter
{
    public const string FormatNames = "json, markdown, html";

    /// <summary>Parses a --format value (case-insensitive); anything else is a clear ArgumentException.</summary>
    public static ReportFormat ParseFormat(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "json" => ReportFormat.Json,
        "markdown" or "md" => ReportFormat.Markdown,
        "html" => ReportFormat.Html,
        _ => throw new ArgumentException($"unknown report format '{name}'; use one of: {FormatNames}", nameof(name)),
    };

    public static string Write(ReportFormat format, EvidenceReport report) => format switch
    {
        ReportFormat.Json => JsonReportWriter.Write(report),
        ReportFormat.Markdown => MarkdownReportWriter.Write(report),
        ReportFormat.Html => HtmlReportWriter.Write(report),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, $"use one of: {FormatNames}"),
    };

    /// <summary>The usual file extension, for writing a report next to others.</summary>
    public static string Extension(ReportFormat format) => format switch
    {
        ReportFormat.Json => ".json",
        ReportFormat.Markdown => ".md",
        ReportFormat.Html => ".html",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, $"use one of: {FormatNames}"),
    };
}
