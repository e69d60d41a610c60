using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reporting;
using HipaaMongo.Operator.Tests.Compliance;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>The stored evidence record: exact round trip, clear refusal of bad input, bounded size.</summary>
public sealed class EvidenceRecordCodecTests
{
    // The Kubernetes limit on a ConfigMap's data (k8s.io/api/core/v1 validation: MaxConfigMapSize / etcd 1 MiB).
    private const int ConfigMapLimit = 1024 * 1024;

    [Fact]
    public void Serialize_after_a_round_trip_gives_the_same_text() =>
        EvidenceRecords.Any.Sample(record =>
        {
            var once = EvidenceRecordCodec.Serialize(record);
            Assert.Equal(once, EvidenceRecordCodec.Serialize(EvidenceRecordCodec.Deserialize(once)));
        }, iter: 200, threads: 1);

    [Fact]
    public void A_round_trip_keeps_every_control_outcome_check_evidence_and_time()
    {
        var record = EvidenceRecords.Mixed();
        var back = EvidenceRecordCodec.Deserialize(EvidenceRecordCodec.Serialize(record));

        Assert.Equal(record.Compliance.EvaluatedAt, back.Compliance.EvaluatedAt);
        Assert.Equal(record.Compliance.Controls.Select(c => (c.Control, c.Outcome, c.ObservedAt)), back.Compliance.Controls.Select(c => (c.Control, c.Outcome, c.ObservedAt)));
        Assert.Equal(record.Compliance.Checks, back.Compliance.Checks);
        Assert.Equal(record.Compliance.Safeguards, back.Compliance.Safeguards);
        Assert.Equal(record.Compliance.Summary.State, back.Compliance.Summary.State);
        Assert.Equal(record.Compliance.Summary.Failing, back.Compliance.Summary.Failing);
        Assert.Equal(record.Compliance.Summary.Unknown, back.Compliance.Summary.Unknown);
        Assert.Equal(record.Certificates, back.Certificates);
        Assert.Equal(record.Corrections, back.Corrections);
        Assert.Equal(record.RenderedConfigHash, back.RenderedConfigHash);
        // Controls resolve to the catalogue's own objects, not copies made from the JSON.
        Assert.All(back.Compliance.Controls, c => Assert.Same(ControlCatalogue.Get(c.Control.Id), c.Control));
    }

    [Fact]
    public void A_read_back_record_renders_the_same_report_as_the_original()
    {
        var original = Reports.Mixed();
        var back = EvidenceRecordCodec.Deserialize(EvidenceRecordCodec.Serialize(EvidenceRecords.FromReport(original)))
            .ToReport(original.Namespace, original.Name, original.GeneratedAt, original.OperatorVersion, original.Events);
        Assert.Equal(JsonReportWriter.Write(original), JsonReportWriter.Write(back));
    }

    [Fact]
    public void Only_the_newest_corrections_are_kept()
    {
        var corrections = Enumerable.Range(0, EvidenceRecord.MaxCorrections + 50).Select(i => EvidenceRecords.Correction(i)).Reverse().ToList();
        var back = EvidenceRecordCodec.Deserialize(EvidenceRecordCodec.Serialize(EvidenceRecords.Mixed() with { Corrections = corrections }));

        Assert.Equal(EvidenceRecord.MaxCorrections, back.Corrections.Count);
        Assert.Equal(corrections.Select(c => c.DetectedAt).Order().TakeLast(EvidenceRecord.MaxCorrections), back.Corrections.Select(c => c.DetectedAt));
    }

    [Fact]
    public void The_worst_case_record_fits_well_under_the_ConfigMap_limit()
    {
        // Every text field far over its cap, made of control characters (each escaped to six bytes), every
        // list over its cap: the largest record the codec can be handed.
        var huge = new string('\u0001', 20_000);
        var record = EvidenceRecords.Mixed();
        var compliance = record.Compliance with
        {
            Checks = [.. record.Compliance.Checks.Select(c => c with { Evidence = huge })],
            Safeguards = [.. Enumerable.Range(0, 20).Select(_ => new SafeguardStatus(huge, huge, huge, huge))],
        };
        var byId = compliance.Checks.ToDictionary(c => c.CheckId);
        compliance = compliance with { Controls = [.. compliance.Controls.Select(c => c with { Checks = [.. c.Checks.Select(k => byId[k.CheckId])] })] };
        var worst = new EvidenceRecord(compliance, huge,
            [.. Enumerable.Range(0, 100).Select(_ => new CertificateEntry(huge, huge, Observations.Now))],
            [.. Enumerable.Range(0, 1000).Select(i => new DriftCorrection(Observations.Now + TimeSpan.FromSeconds(i), Observations.Now, huge, huge, huge))]);

        var json = EvidenceRecordCodec.Serialize(worst);

        Assert.InRange(Encoding.UTF8.GetByteCount(json), 1, EvidenceRecordCodec.MaxBytes);
        Assert.True(EvidenceRecordCodec.MaxBytes <= ConfigMapLimit / 2);
        var back = EvidenceRecordCodec.Deserialize(json);
        Assert.NotEmpty(back.Corrections);
        Assert.Equal(Observations.Now + TimeSpan.FromSeconds(999), back.Corrections[^1].DetectedAt); // the newest survived
        Assert.All(back.Compliance.Checks, c => Assert.EndsWith("...[truncated]", c.Evidence, StringComparison.Ordinal));
    }

    [Fact]
    public void Writing_an_id_the_reader_would_refuse_is_an_argument_error()
    {
        var record = EvidenceRecords.Mixed();
        var bad = record with { Compliance = record.Compliance with { Checks = [.. record.Compliance.Checks, new CheckResult("no-such-check", Outcome.Pass, "x", null)] } };
        var e = Assert.Throws<ArgumentException>(() => EvidenceRecordCodec.Serialize(bad));
        Assert.Contains("no-such-check", e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Malformed() => new()
    {
        { "", "not an evidence record" },
        { "null", "version" },
        { "[]", "version" },
        { "{}", "version" },
        { "{\"version\":\"1\"}", "version" },
        { "{\"version\":1}", "not an evidence record" },
        { "{\"version\":1,", "not an evidence record" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_text_is_a_FormatException(string json, string says)
    {
        var e = Assert.Throws<FormatException>(() => EvidenceRecordCodec.Deserialize(json));
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> Mutations() => new()
    {
        { "version=2", "newer than this hipaa-mongo reads" },
        { "version=0", "is not valid" },
        { "controls[0].id=HIPAA-164.999", "unknown control id 'HIPAA-164.999'" },
        { "checks[0].id=quantum-proof", "unknown check id 'quantum-proof'" },
        { "summary.failing[0]=CIS-99.9", "unknown control id 'CIS-99.9'" },
        { "checks[0].outcome=pass", "is not one of Pass, Fail, Unknown" },
        { "controls[0].outcome=Maybe", "is not one of Pass, Fail, Unknown" },
        { "summary.state=Yes", "is not one of True, False, Unknown" },
        { "evaluatedAt=yesterday", "is not a UTC time" },
        { "evaluatedAt=2026-11-25T06:00:00+01:00", "is not a UTC time" },
        { "controls[0].checks[0]=tls-mode-typo", "is not in the record's checks" },
        { "checks[1].id=@checks[0].id", "appears twice" },
        { "renderedConfigHash=null", "not an evidence record" },
        { "certificates[0]=null", "null entry" },
        { "-renderedConfigHash", "not an evidence record" },
        { "+surprise", "not an evidence record" },
        { "summary.passed=99", "is not a count of controls" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_damaged_record_is_a_FormatException_naming_the_problem(string mutation, string says)
    {
        var json = Mutate(JsonNode.Parse(EvidenceRecordCodec.Serialize(EvidenceRecords.Mixed()))!.AsObject(), mutation);
        var e = Assert.Throws<FormatException>(() => EvidenceRecordCodec.Deserialize(json));
        Assert.Contains(says, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_control_that_has_left_the_scope_since_the_record_was_written_is_read_as_recorded()
    {
        // An earlier catalogue passed HIPAA-164.308(a)(7) on replica health; this one lists it as not covered.
        // An upgrade must neither refuse the record (the correction ledger is evidence) nor present the old
        // outcome as today's rule.
        var retired = ControlCatalogue.NotCovered.First(n => n.Id == "HIPAA-164.308(a)(7)");
        var root = JsonNode.Parse(EvidenceRecordCodec.Serialize(EvidenceRecords.Mixed()))!.AsObject();
        var renamed = JsonNode.Parse(Mutate(root, "controls[0].id=" + retired.Id))!.AsObject();
        var json = Mutate(renamed, "summary.failing[0]=" + retired.Id);

        var back = EvidenceRecordCodec.Deserialize(json);

        var control = back.Compliance.Controls[0];
        Assert.Equal(retired.Id, control.Control.Id);
        Assert.Equal(retired.Title, control.Control.Title);
        Assert.StartsWith("recorded under an earlier catalogue; no longer in scope: ", control.Control.Enforcement, StringComparison.Ordinal);
        Assert.Contains(retired.Why, control.Control.Enforcement, StringComparison.Ordinal);
        Assert.Equal(retired.Id, back.Compliance.Summary.Failing[0]);
        Assert.Equal(EvidenceRecords.Mixed().Corrections, back.Corrections);
    }

    // "path=value" sets (value "null" is JSON null, "@path" copies), "-field" removes, "+field" adds a field.
    private static string Mutate(JsonObject root, string mutation)
    {
        if (mutation[0] is '-' or '+')
        {
            if (mutation[0] == '-')
            {
                root.Remove(mutation[1..]);
            }
            else
            {
                root[mutation[1..]] = "x";
            }

            return root.ToJsonString();
        }

        var (path, value) = (mutation[..mutation.IndexOf('=')], mutation[(mutation.IndexOf('=') + 1)..]);
        JsonNode? node = value switch
        {
            "null" => null,
            _ when value.StartsWith('@') => Node(root, value[1..])!.DeepClone(),
            _ when int.TryParse(value, out var n) => JsonValue.Create(n),
            _ => JsonValue.Create(value),
        };
        var cut = path.LastIndexOfAny(['.', '[']);
        var parent = cut < 0 ? root : Node(root, path[..cut])!;
        var last = path[(cut + 1)..].TrimEnd(']');
        if (path[cut < 0 ? 0 : cut] == '[')
        {
            parent.AsArray()[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = node;
        }
        else
        {
            parent.AsObject()[last] = node;
        }

        return root.ToJsonString();
    }

    private static JsonNode? Node(JsonNode root, string path) =>
        path.Replace("]", "", StringComparison.Ordinal).Split('.', '[').Aggregate<string, JsonNode?>(root,
            (n, part) => int.TryParse(part, out var i) ? n![i] : n![part]);
}
