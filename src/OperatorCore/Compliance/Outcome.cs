namespace HipaaMongo.Operator.Compliance;

/// <summary>The result of one check or control. Unknown is never a pass: no proof, no Compliant.</summary>
public enum Outcome
{
    Pass,
    Fail,
    Unknown,
}

/// <summary>What one check found: the outcome, an auditor-readable sentence and when the evidence was read.</summary>
public sealed record Finding(Outcome Outcome, string Evidence, DateTimeOffset? ObservedAt)
{
    public static Finding Pass(string evidence, DateTimeOffset? at) => new(Outcome.Pass, evidence, at);

    public static Finding Fail(string evidence, DateTimeOffset? at) => new(Outcome.Fail, evidence, at);

    public static Finding Unknown(string evidence, DateTimeOffset? at = null) => new(Outcome.Unknown, evidence, at);
}

/// <summary>A finding attached to its check id.</summary>
public sealed record CheckResult(string CheckId, Outcome Outcome, string Evidence, DateTimeOffset? ObservedAt);
