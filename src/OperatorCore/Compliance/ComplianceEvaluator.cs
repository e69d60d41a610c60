using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Compliance;

/// <summary>
/// Pure evaluation of an <see cref="Observation"/> against the catalogue. No I/O and no clock: the time is
/// Observation.Now, so the same observation always yields the same report.
/// </summary>
public static class ComplianceEvaluator
{
    public static ComplianceReport Evaluate(Observation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var checks = CheckCatalogue.All.Select(c => Run(c, observation)).ToList();
        var byId = checks.ToDictionary(c => c.CheckId);
        var controls = ControlCatalogue.All.Select(c => Fold(c, byId)).ToList();
        return new ComplianceReport(
            observation.Now, checks, controls, SafeguardConditions.From(controls, observation), Summarize(controls));
    }

    // No catch: a rule is a total function of the observation, so an exception is a programming error and must
    // surface as one, never as a compliance "Unknown".
    private static CheckResult Run(CheckDefinition check, Observation o)
    {
        var finding = check.Evaluate(o);
        return new CheckResult(check.Id, finding.Outcome, finding.Evidence, finding.ObservedAt);
    }

    private static ControlResult Fold(Control control, Dictionary<string, CheckResult> checks)
    {
        var results = control.CheckIds.Select(id => checks[id]).ToList();
        var outcome = results.Count == 0 ? Outcome.Unknown
            : results.Any(r => r.Outcome == Outcome.Fail) ? Outcome.Fail
            : results.Any(r => r.Outcome == Outcome.Unknown) ? Outcome.Unknown
            : Outcome.Pass;
        return new ControlResult(control, outcome, results, results.Select(r => r.ObservedAt).Min());
    }

    private static ComplianceSummaryLine Summarize(List<ControlResult> controls)
    {
        var failing = controls.Where(c => c.Outcome == Outcome.Fail).Select(c => c.Control.Id).ToList();
        var unknown = controls.Where(c => c.Outcome == Outcome.Unknown).Select(c => c.Control.Id).ToList();
        var passed = controls.Count(c => c.Outcome == Outcome.Pass);
        var state = failing.Count > 0 ? ComplianceState.False
            : unknown.Count > 0 || controls.Count == 0 ? ComplianceState.Unknown
            : ComplianceState.True;
        return new ComplianceSummaryLine(state, passed, controls.Count, failing, unknown);
    }
}
