using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>The same report renders to the same bytes, whatever order drift and Events were collected in.</summary>
public sealed class DeterminismTests
{
    [Theory]
    [InlineData("json")]
    [InlineData("markdown")]
    [InlineData("html")]
    public void Output_does_not_depend_on_collection_order(string format)
    {
        var report = WithTimeline(Reports.Mixed());
        var shuffled = report with
        {
            Corrections = [.. report.Corrections.Reverse()],
            Events = [.. report.Events.Reverse()],
        };
        var first = Reports.Render(format, report);
        Assert.Equal(first, Reports.Render(format, report));
        Assert.Equal(first, Reports.Render(format, shuffled));
    }

    [Theory]
    [InlineData("markdown")]
    [InlineData("html")]
    public void The_timeline_is_in_time_order(string format)
    {
        var text = Reports.Render(format, WithTimeline(Reports.Mixed()));
        // detected 05:56, Event 05:56:30, corrected 05:57, second drift 05:58 (never corrected).
        string[] order = ["deleted by hand", "passed -&gt; failed", "corrected on NetworkPolicy", "tlsMode edited"];
        var positions = order.Select(s => text.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.DoesNotContain(-1, positions);
        Assert.Equal(positions.Order(), positions);
    }

    private static EvidenceReport WithTimeline(EvidenceReport r)
    {
        var t = r.Compliance.EvaluatedAt;
        return r with
        {
            Corrections =
            [
                new DriftCorrection(t.AddMinutes(-2), null, "Config", "StatefulSet phi/phi-db", "tlsMode edited to allowTLS"),
                new DriftCorrection(t.AddMinutes(-4), t.AddMinutes(-3), "NetworkPolicy", "NetworkPolicy phi/phi-db-default-deny", "deleted by hand"),
            ],
            Events =
            [
                new ReportEvent(t.AddSeconds(-210), "Warning", "ControlFailed", "MDB-SC-NETWORK: passed -> failed"),
                new ReportEvent(t.AddSeconds(-150), "Normal", "ControlRecovered", "MDB-SC-NETWORK: failed -> passed"),
            ],
        };
    }
}
