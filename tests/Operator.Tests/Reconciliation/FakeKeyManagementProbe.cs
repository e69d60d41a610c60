using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.KeyManagement;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// A scripted KMIP probe for ORCHESTRATION tests only: it talks to no KMIP server. By default the first declared
/// server answers and holds every key the members report Active; <see cref="Reachable"/> false makes every server
/// refuse the connection. What a real KMIP server answers is <see cref="KmipProbe"/>'s business, tested against
/// PyKMIP (KmipProbeTests).
/// </summary>
internal sealed class FakeKeyManagementProbe(TimeProvider time) : IKeyManagementProbe
{
    private int _probes;
    private volatile bool _reachable = true;

    public bool Reachable
    {
        get => _reachable;
        set => _reachable = value;
    }

    public int Probes => Volatile.Read(ref _probes);

    public Task<KeyManagementObservation> ProbeAsync(KmipModel kmip, KmipProbeCredentials? credentials, string? missing,
        IReadOnlyCollection<string> keyIds, CancellationToken ct)
    {
        Interlocked.Increment(ref _probes);
        var servers = kmip.Servers.Select(s => $"{s.Host}:{s.Port}").ToList();
        return Task.FromResult(_reachable
            ? new KeyManagementObservation(time.GetUtcNow(), servers, servers[0], null, keyIds.ToDictionary(id => id, _ => "Active"))
            : new KeyManagementObservation(time.GetUtcNow(), servers, null, $"{servers[0]}: Connection refused", new Dictionary<string, string>()));
    }
}
