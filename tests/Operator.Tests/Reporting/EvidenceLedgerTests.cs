using HipaaMongo.Operator.Reporting;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>The bounded drift ledger the reconciler keeps in the evidence record.</summary>
public sealed class EvidenceLedgerTests
{
    [Fact]
    public void The_first_record_holds_the_new_corrections_and_the_latest_evaluation()
    {
        var compliance = EvidenceRecords.Mixed().Compliance;
        var record = EvidenceLedger.Next(null, compliance, "sha256:abc", [], [EvidenceRecords.Correction(2), EvidenceRecords.Correction(1)]);

        Assert.Same(compliance, record.Compliance);
        Assert.Equal("sha256:abc", record.RenderedConfigHash);
        Assert.Equal([EvidenceRecords.Correction(1), EvidenceRecords.Correction(2)], record.Corrections);
    }

    [Fact]
    public void Corrections_append_to_the_previous_ledger_and_the_oldest_fall_off()
    {
        var previous = EvidenceRecords.Mixed() with { Corrections = [.. Enumerable.Range(0, EvidenceRecord.MaxCorrections).Select(i => EvidenceRecords.Correction(i))] };
        var next = EvidenceLedger.Next(previous, previous.Compliance, previous.RenderedConfigHash, previous.Certificates,
            [EvidenceRecords.Correction(1000), EvidenceRecords.Correction(1001)]);

        Assert.Equal(EvidenceRecord.MaxCorrections, next.Corrections.Count);
        Assert.Equal(EvidenceRecords.Correction(2), next.Corrections[0]);
        Assert.Equal(EvidenceRecords.Correction(1001), next.Corrections[^1]);
    }

    [Fact]
    public void A_correction_closes_the_open_entry_for_the_same_drift_in_place()
    {
        var open = EvidenceRecords.Correction(5, closed: false);
        var closed = EvidenceRecords.Correction(5);
        var ledger = EvidenceLedger.AppendCorrections([EvidenceRecords.Correction(1), open], [closed]);

        Assert.Equal([EvidenceRecords.Correction(1), closed], ledger);
    }

    [Fact]
    public void Different_targets_at_the_same_time_are_separate_entries_in_a_fixed_order()
    {
        var a = EvidenceRecords.Correction(3, "NetworkPolicy clinical/a");
        var b = EvidenceRecords.Correction(3, "NetworkPolicy clinical/b");

        Assert.Equal([a, b], EvidenceLedger.AppendCorrections([b], [a]));
        Assert.Equal([a, b], EvidenceLedger.AppendCorrections([a], [b]));
    }
}
