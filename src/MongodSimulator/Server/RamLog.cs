namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// mongod's "global" RamLog (src/mongo/logv2/ramlog.h): the last 1024 log lines in memory, which getLog returns
/// with the number of lines ever written. It is how a client sees, e.g., a KMIP outage logged at a key-state poll.
/// </summary>
public sealed class RamLog
{
    public const int Capacity = 1024;
    private readonly Queue<string> _lines = new();
    private readonly Lock _gate = new();
    private long _written;

    public void Write(string line)
    {
        lock (_gate)
        {
            _written++;
            _lines.Enqueue(line);
            if (_lines.Count > Capacity)
            {
                _lines.Dequeue();
            }
        }
    }

    public (long TotalLinesWritten, IReadOnlyList<string> Lines) Snapshot()
    {
        lock (_gate)
        {
            return (_written, [.. _lines]);
        }
    }
}
