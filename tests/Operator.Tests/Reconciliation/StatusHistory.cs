using System.Collections.Concurrent;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Hosting;
using k8s;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// Every version of the HipaaMongo the API server sends on a watch, so a test can see a state that lasted only
/// one pass (a deleted policy is failing only until the same pass re-creates it).
/// </summary>
internal sealed class StatusHistory : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watch;

    private StatusHistory(IKubernetes client, string resourceVersion)
    {
        var watcher = new KubernetesListWatcher<HipaaMongoResource>(client, OperatorServices.HipaaMongoType, OperatorHarness.Namespace);
        _watch = Task.Run(async () =>
        {
            await foreach (var (_, obj) in watcher.WatchAsync(resourceVersion, _stop.Token))
            {
                Versions.Enqueue(obj);
            }
        });
    }

    public ConcurrentQueue<HipaaMongoResource> Versions { get; } = new();

    public static async Task<StatusHistory> StartAsync(IKubernetes client, CancellationToken ct)
    {
        var list = await new KubernetesListWatcher<HipaaMongoResource>(client, OperatorServices.HipaaMongoType, OperatorHarness.Namespace)
            .ListAsync(ct);
        return new StatusHistory(client, list.ResourceVersion);
    }

    public IEnumerable<ComplianceState?> Compliance => Versions.Select(v => v.Status?.Compliance?.Compliant);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _watch.ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }
}
