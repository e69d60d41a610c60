namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>
/// An injected failure: requests matching verb/resource/name (null = any) get Code (0 = latency only), Times times
/// (null = always). A "watch" fault with code 410 answers 200 and an ERROR "too old resource version" event.
/// </summary>
public sealed record Fault(string? Verb, string? Resource, int Code, int? Times = null, int RetryAfterSeconds = 1, TimeSpan? Latency = null, string? Name = null);

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

    public void Clear()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    /// <summary>The fault for this request, consuming one use of it; null when none applies.</summary>
    public Fault? Take(string verb, string resource, string? name = null)
    {
        lock (gate)
        {
            for (var i = 0; i < faults.Count; i++)
            {
                var (f, left) = faults[i];
                if ((f.Verb is null || f.Verb == verb) && (f.Resource is null || f.Resource == resource) && (f.Name is null || f.Name == name) && left > 0)
                {
                    faults[i] = (f, left - 1);
                    return f;
                }
            }
            return null;
        }
    }
}
