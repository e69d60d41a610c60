using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Compliance;

/// <summary>Folds control results into one condition per safeguard, worded for a compliance reader.</summary>
internal static class SafeguardConditions
{
    public static IReadOnlyList<SafeguardStatus> From(IReadOnlyList<ControlResult> controls, Observation o) =>
        ConditionTypes.Safeguards.Select(type => For(type, controls.Where(c => c.Control.Condition == type).ToList(), o)).ToList();

    private static SafeguardStatus For(string type, List<ControlResult> controls, Observation o)
    {
        var failing = controls.Where(c => c.Outcome == Outcome.Fail).ToList();
        if (failing.Count > 0)
        {
            return new(type, "False", FailReason(failing), Describe(failing, Outcome.Fail, "failing"));
        }

        var unknown = controls.Where(c => c.Outcome == Outcome.Unknown).ToList();
        if (unknown.Count > 0 || controls.Count == 0)
        {
            var reason = o.Members.Any(m => !m.Reachable) ? ConditionReasons.MembersNotReady : ConditionReasons.Pending;
            return new(type, "Unknown", reason, Describe(unknown, Outcome.Unknown, "not proven by a fresh live read"));
        }

        return new(type, "True", ConditionReasons.Verified,
            $"{controls.Count}/{controls.Count} controls passed ({string.Join(", ", controls.Select(c => c.Control.Id))}).");
    }

    // A deleted default-deny policy gets its own reason: it is the one most often removed by hand.
    private static string FailReason(List<ControlResult> failing) =>
        failing.SelectMany(c => c.Checks).Any(c => c.CheckId == "default-deny-present" && c.Outcome == Outcome.Fail)
            ? ConditionReasons.PolicyMissing
            : ConditionReasons.VerificationFailed;

    // "CIS-4.3, HIPAA-164.312(e)(1) failing: phi-db-1: tlsMode is preferTLS; ..." - each evidence once.
    private static string Describe(List<ControlResult> controls, Outcome outcome, string state)
    {
        var evidence = controls.SelectMany(c => c.Checks).Where(k => k.Outcome == outcome)
            .Select(k => k.Evidence).Distinct().ToList();
        var ids = string.Join(", ", controls.Select(c => c.Control.Id));
        var noun = controls.Count == 1 ? "control" : "controls";
        return evidence.Count == 0 ? $"No {noun} to evaluate." : $"{noun} {ids} {state}: {string.Join("; ", evidence)}.";
    }
}
