using System.Globalization;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>
/// Gives each pod (by UID) its own loopback address 127.x.y.z, so every simulated member listens on its own
/// IP and port 27017 as in a real cluster. 127.0.0.0/16 is left alone (127.0.0.1 hosts the API server);
/// released addresses are reused last.
/// </summary>
public sealed class LoopbackAddressPool
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _byPod = [];
    private readonly Queue<string> _released = new();
    // Each pool starts in a random 127.N.0.0/16 block (N >= 1), so simulated clusters in parallel test
    // processes rarely hand out the same pod IP (each member listens on podIP:27017).
    private int _next = Random.Shared.Next(1, 200) << 16;

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
