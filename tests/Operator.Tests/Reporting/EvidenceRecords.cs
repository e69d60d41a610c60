using CsCheck;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reporting;
using HipaaMongo.Operator.Tests.Compliance;

namespace HipaaMongo.Operator.Tests.Reporting;

/// <summary>Evidence records for the codec tests: real evaluator output plus generated text, times and ledgers.</summary>
internal static class EvidenceRecords
{
    public static EvidenceRecord Mixed() => FromReport(Reports.Mixed());

    public static EvidenceRecord FromReport(EvidenceReport r) => new(r.Compliance, r.RenderedConfigHash, r.Certificates, r.Corrections);

    public static DriftCorrection Correction(int minute, string target = "NetworkPolicy clinical/phi-db-default-deny", bool closed = true) =>
        new(Observations.Now + TimeSpan.FromMinutes(minute), closed ? Observations.Now + TimeSpan.FromMinutes(minute) + TimeSpan.FromSeconds(1) : null,
            "NetworkPolicy", target, $"the default-deny NetworkPolicy was deleted (#{minute})");

    private static readonly Gen<string> Text = Gen.OneOf(Gen.String, Gen.Char.Array[0, 1500].Select(c => new string(c)));

    private static readonly Gen<DateTimeOffset> Time =
        Gen.Select(Gen.Long[DateTime.UnixEpoch.Ticks, new DateTime(2200, 1, 1).Ticks], Gen.Int[-14 * 60, 14 * 60],
            (ticks, offset) => new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(offset)));

    private static readonly Gen<DateTimeOffset?> MaybeTime =
        Gen.Frequency((1, Gen.Const((DateTimeOffset?)null)), (4, Time.Select(t => (DateTimeOffset?)t)));

    private static readonly Gen<DriftCorrection> Drift =
        Gen.Select(Time, MaybeTime, Text, Text, Text, (d, c, k, t, x) => new DriftCorrection(d, c, k, t, x));

    private static readonly Gen<CertificateEntry> Certificate =
        Gen.Select(Text, Text, MaybeTime, (n, s, at) => new CertificateEntry(n, s, at));

    private static readonly Gen<Outcome> OutcomeGen = Gen.Enum<Outcome>();

    /// <summary>Any record the operator could store: every check's outcome, evidence and time varied.</summary>
    public static readonly Gen<EvidenceRecord> Any =
        Gen.Select(
            Gen.Select(OutcomeGen, Text, MaybeTime).Array[CheckCatalogue.All.Count],
            Gen.Select(OutcomeGen, MaybeTime).Array[ControlCatalogue.All.Count],
            Time, Text, Certificate.Array[0, 40], Drift.Array[0, 260],
            (checks, controls, at, hash, certs, drift) => Build(checks, controls, at, hash, certs, drift));

    private static EvidenceRecord Build(
        (Outcome, string, DateTimeOffset?)[] checks, (Outcome, DateTimeOffset?)[] controls,
        DateTimeOffset at, string hash, CertificateEntry[] certs, DriftCorrection[] drift)
    {
        var baseReport = Mixed().Compliance;
        var newChecks = baseReport.Checks.Select((c, i) => c with { Outcome = checks[i].Item1, Evidence = checks[i].Item2, ObservedAt = checks[i].Item3 }).ToList();
        var byId = newChecks.ToDictionary(c => c.CheckId);
        var newControls = baseReport.Controls.Select((c, i) => c with
        {
            Outcome = controls[i].Item1,
            ObservedAt = controls[i].Item2,
            Checks = [.. c.Checks.Select(k => byId[k.CheckId])],
        }).ToList();
        var compliance = baseReport with { EvaluatedAt = at, Checks = newChecks, Controls = newControls };
        return new EvidenceRecord(compliance, hash, certs, drift);
    }
}
