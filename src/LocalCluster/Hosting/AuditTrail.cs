using System.Collections.Concurrent;

namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>One served request, as kube-apiserver's audit log would name it.</summary>
public sealed record AuditRecord(
    DateTimeOffset Time, string User, string Verb, string Group, string Resource, string? Subresource,
    string? Namespace, string? Name, int Code, string UserAgent)
{
    /// <summary>The HTTP method, path and query string as sent (for endpoint contract tests).</summary>
    public string Method { get; init; } = "";
    public string Path { get; init; } = "";
    public string Query { get; init; } = "";

    /// <summary>The request Content-Type, if any.</summary>
    public string? ContentType { get; init; }

    /// <summary>A dryRun=All request: validated, defaulted and admitted, never persisted.</summary>
    public bool DryRun => Query.Contains("dryRun=All", StringComparison.Ordinal);
}

/// <summary>Every request the server answered, queryable by tests ("no PVC deleted", "no writes").</summary>
public sealed class AuditTrail
{
    readonly ConcurrentQueue<AuditRecord> records = new();

    public void Add(AuditRecord record) => records.Enqueue(record);

    public IReadOnlyList<AuditRecord> Records => [.. records];

    public static readonly IReadOnlySet<string> WriteVerbs =
        new HashSet<string>(["create", "update", "patch", "delete", "deletecollection"]);

    /// <summary>Requests that changed (or tried to change) stored state; a dry-run changes nothing, so it is not one.</summary>
    public IReadOnlyList<AuditRecord> Writes => [.. records.Where(r => WriteVerbs.Contains(r.Verb) && !r.DryRun)];

    /// <summary>Write requests sent with dryRun=All.</summary>
    public IReadOnlyList<AuditRecord> DryRuns => [.. records.Where(r => WriteVerbs.Contains(r.Verb) && r.DryRun)];

    public void Clear() => records.Clear();
}
