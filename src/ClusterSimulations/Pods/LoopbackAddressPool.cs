using System.Globalization;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>
/// Gives each pod (by UID) its own loopback address 127.x.y.z, so every simulated member listens on its own
/// IP and port 27017 as in a real cluster. 127.0.0.0/16 is left alone (127.0.0.1 hosts the API server);
/// released addresses are reused last.
/// </summary>
public sealed class LoopbackAddressPool : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _byPod = [];
    private readonly Queue<string> _released = new();
    // Each pool holds its own 127.N.0.0/16 block (N in 1..254) while it lives, claimed with an exclusive lock on a
    // file named after N, so simulated clusters in parallel test processes, or in one process, never hand out the
    // same pod IP: each member listens on podIP:27017, and a shared address made a member exit with "Failed to set
    // up listener" and crash-loop until the other cluster ended. When every block is held, a random one is shared.
    private readonly FileStream? _claim;
    private int _next;

    public LoopbackAddressPool()
    {
        (_next, _claim) = ClaimBlock();
    }

    /// <summary>The address of <paramref name="podUid"/>, allocating one the first time.</summary>
    public string For(string podUid)
    {
        ArgumentException.ThrowIfNullOrEmpty(podUid);
        lock (_gate)
        {
            if (_byPod.TryGetValue(podUid, out var ip))
            {
                return ip;
            }
            ip = _released.Count > 0 && _next >= 0xFFFFFE ? _released.Dequeue() : NextAddress();
            _byPod[podUid] = ip;
            return ip;
        }
    }

    /// <summary>Frees the pod's address.</summary>
    public void Release(string podUid)
    {
        lock (_gate)
        {
            if (_byPod.Remove(podUid, out var ip))
            {
                _released.Enqueue(ip);
            }
        }
    }

    /// <summary>Gives the block back for another pool to claim.</summary>
    public void Dispose() => _claim?.Dispose();

    private static (int Next, FileStream? Claim) ClaimBlock()
    {
        var start = Random.Shared.Next(1, 255);
        string directory;
        try
        {
            directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "hipaa-mongo-loopback")).FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (start << 16, null);
        }
        for (var i = 0; i < 254; i++)
        {
            var block = ((start - 1 + i) % 254) + 1;
            try
            {
                // FileShare.None is an exclusive flock on Unix: refused while any open handle holds it, released
                // when the pool is disposed or its process ends.
                var claim = new FileStream(Path.Combine(directory, block.ToString(CultureInfo.InvariantCulture) + ".lock"),
                    FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return (block << 16, claim);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // held by another pool: try the next block
            }
        }
        return (start << 16, null);
    }

    private string NextAddress()
    {
        // Skip .0 and .255 host octets; they look like network/broadcast addresses to humans and some tools.
        while ((_next & 0xFF) is 0 or 255)
        {
            _next++;
        }
        if (_next > 0xFFFFFE)
        {
            throw new InvalidOperationException("loopback address pool exhausted");
        }
        var n = _next++;
        return string.Create(CultureInfo.InvariantCulture, $"127.{(n >> 16) & 0xFF}.{(n >> 8) & 0xFF}.{n & 0xFF}");
    }
}
