namespace HipaaMongo.Operator.Compliance;

/// <summary>The safeguard area a control belongs to; report tables group by it.</summary>
public enum ControlFamily
{
    AccessControl,
    Authentication,
    Audit,
    Encryption,
    Transmission,
    Network,
    Workload,
}

/// <summary>
/// One control of a framework (HIPAA Security Rule, CIS MongoDB Benchmark, MongoDB Security Checklist):
/// what the operator enforces for it, the checks whose results prove it, and the safeguard condition
/// (a ConditionTypes constant) it feeds. Condition is null for controls that span safeguards or have no
/// safeguard condition of their own (availability, pod security); they count in the compliance summary.
/// </summary>
public sealed record Control(
    string Id,
    string Framework,
    string Title,
    ControlFamily Family,
    string Enforcement,
    IReadOnlyList<string> CheckIds,
    string? Condition);

/// <summary>A control outside the catalogue's scope, and why nothing the operator observes proves it.</summary>
public sealed record NotCoveredControl(string Id, string Framework, string Title, string Why);
