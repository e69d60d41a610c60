using System.Collections.Concurrent;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>Counters reported by serverStatus.</summary>
public sealed class ServerStats
{
    private readonly ConcurrentDictionary<string, long[]> _mechanisms = new(StringComparer.Ordinal);
    private long _current;
    private long _totalCreated;

    public long CurrentConnections => Interlocked.Read(ref _current);

    public long TotalCreated => Interlocked.Read(ref _totalCreated);

    public void Opened()
    {
        Interlocked.Increment(ref _current);
        Interlocked.Increment(ref _totalCreated);
    }

    public void Closed() => Interlocked.Decrement(ref _current);

    /// <summary>Counts an authentication attempt: [received, successful, specReceived, specSuccessful].</summary>
    public void Authentication(string mechanism, bool speculative, bool success)
    {
        var c = _mechanisms.GetOrAdd(mechanism, _ => new long[4]);
        var offset = speculative ? 2 : 0;
        Interlocked.Increment(ref c[offset]);
        if (success)
        {
            Interlocked.Increment(ref c[offset + 1]);
        }
    }

    public BsonDocument MechanismsToBson(IEnumerable<string> enabled)
    {
        var doc = new BsonDocument();
        foreach (var m in enabled)
        {
            var c = _mechanisms.GetOrAdd(m, _ => new long[4]);
            doc[m] = new BsonDocument
            {
                { "authenticate", new BsonDocument { { "received", c[0] }, { "successful", c[1] } } },
                { "speculativeAuthenticate", new BsonDocument { { "received", c[2] }, { "successful", c[3] } } },
            };
        }

        return doc;
    }
}
