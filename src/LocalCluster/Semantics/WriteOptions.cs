namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>Per-request write options from the query string (fieldManager, dryRun, fieldValidation, force).</summary>
public sealed record WriteOptions(string Manager, bool DryRun = false, string FieldValidation = "Warn", bool Force = false)
{
    /// <summary>Warnings to send back in `Warning: 299 - "..."` headers.</summary>
    public List<string> Warnings { get; } = [];
}
