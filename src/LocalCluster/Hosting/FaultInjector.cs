namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>
/// An injected failure: requests matching verb/resource/name/subresource (null = any) get Code (0 = latency only),
/// Times times (null = always). As kube-apiserver answers them: 409 on create is AlreadyExists, on any other verb
/// Conflict ("the object has been modified", a stale resourceVersion); 410 is reason Expired ("too old resource
/// version: requested (oldest)"), and on a watch it is sent the way the watch cache sends it, HTTP 200 and one ERROR
/// event carrying the Status, unless <see cref="WatchAsHttpStatus"/> asks for the HTTP 410 an older apiserver gave.
/// </summary>
public sealed record Fault(string? Verb, string? Resource, int Code, int? Times = null, int RetryAfterSeconds = 1, TimeSpan? Latency = null, string? Name = null)
{
    /// <summary>Only requests to this subresource ("status"); "" = the main resource only; null = either.</summary>
    public string? Subresource { get; init; }

    /// <summary>A 410 on a watch is refused with HTTP 410 before the stream starts, instead of an ERROR event.</summary>
    public bool WatchAsHttpStatus { get; init; }

    internal bool Matches(string verb, string resource, string? name, string? subresource) =>
        (Verb is null || Verb == verb) && (Resource is null || Resource == resource) && (Name is null || Name == name)
        && (Subresource is null || Subresource == (subresource ?? ""));
}

/// <summary>Injected errors and latency, controllable from tests and the admin endpoint.</summary>
public sealed class FaultInjector
{
    readonly Lock gate = new();
    readonly List<(Fault Fault, int Remaining)> faults = [];

    public void Add(Fault fault)
    {
        lock (gate)
        {
            faults.Add((fault, fault.Times ?? int.MaxValue));
        }
    }

    /// <summary>How many more requests <paramref name="fault"/> will hit (0 once spent or removed), so a test can wait for it.</summary>
    public int Remaining(Fault fault)
    {
        lock (gate)
        {
            return faults.Where(f => ReferenceEquals(f.Fault, fault)).Sum(f => f.Remaining);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    /// <summary>The fault for this request, consuming one use of it; null when none applies.</summary>
    public Fault? Take(string verb, string resource, string? name = null, string? subresource = null)
    {
        lock (gate)
        {
            for (var i = 0; i < faults.Count; i++)
            {
                var (f, left) = faults[i];
                if (left > 0 && f.Matches(verb, resource, name, subresource))
                {
                    faults[i] = (f, left - 1);
                    return f;
                }
            }
            return null;
        }
    }
}
