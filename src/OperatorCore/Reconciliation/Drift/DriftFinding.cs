namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// One out-of-band change. Expected and Found are short display texts (never Secret data, never a
/// whole config file); Path is a dotted field path with list elements named by their merge key,
/// e.g. <c>spec.template.spec.containers[name=mongod].securityContext.privileged</c>.
/// </summary>
public sealed record DriftFinding(
    string Kind,
    string? Namespace,
    string Name,
    string Path,
    string Expected,
    string Found,
    DriftClass Class,
    DriftChange Change)
{
    /// <summary>An Event note: object, field, expected and found, well under the 1 kB limit.</summary>
    public string Message =>
        $"{Kind} {(Namespace is null ? "" : Namespace + "/")}{Name}: {(Path.Length == 0 ? "" : Path + " ")}expected {Expected}, found {Found}";
}
