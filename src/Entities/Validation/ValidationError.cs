namespace HipaaMongo.Entities.Validation;

/// <summary>One problem with a spec: where (e.g. <c>spec.audit.phiNamespaces[1]</c>) and what, in plain words.</summary>
public sealed record ValidationError(string FieldPath, string Message)
{
    public override string ToString() => $"{FieldPath}: {Message}";
}

/// <summary>Collects errors while walking a spec; keeps the field-path bookkeeping out of the rules.</summary>
internal sealed class ErrorList
{
    private readonly List<ValidationError> errors = [];

    public IReadOnlyList<ValidationError> Items => errors;

    public void Add(string path, string message) => errors.Add(new ValidationError(path, message));

    /// <summary>Adds the error when <paramref name="ok"/> is false; returns <paramref name="ok"/>.</summary>
    public bool Check(bool ok, string path, string message)
    {
        if (!ok) Add(path, message);
        return ok;
    }
}
