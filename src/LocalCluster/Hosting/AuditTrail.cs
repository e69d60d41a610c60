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
}

/// <summary>Every request the server answered, queryable by tests ("no PVC deleted", "no writes").</summary>
public sealed class AuditTrail
{
    readonly ConcurrentQueue<AuditRecord> records = new();

    public void Add(AuditRecord record) => records.Enqueue(record);

    public IReadOnlyList<AuditRecord> Records => [.. records];

    public static readonly IReadOnlySet<string> WriteVerbs =
        new HashSet<string>(["create", "update", "patch", "delete", "deletecollection"]);

    public IReadOnlyList<AuditRecord> Writes => [.. records.Where(r => WriteVerbs.Contains(r.Verb))];

    public void Clear() => records.Clear();
}
