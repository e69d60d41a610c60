using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace HipaaMongo.ControllerRuntime.Leader;

/// <summary>
/// LeaderGate runs work only while this replica holds the Lease (KubernetesClient's LeaderElector on a
/// coordination.k8s.io/v1 LeaseLock). Losing the Lease cancels the work; the gate keeps trying to lead again,
/// so a replica that lost a renewal race rejoins as a candidate instead of acting without the Lease.
/// </summary>
public sealed class LeaderGate
{
    private readonly IKubernetes _client;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _logger;
    private readonly Gauge _isLeader;
    private volatile bool _leading;

    /// <summary>Creates a gate; metrics go to <paramref name="registry"/> (prometheus-net's default when null).</summary>
    public LeaderGate(IKubernetes client, LeaderElectionOptions options, ILogger logger, CollectorRegistry? registry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _options = options;
        _logger = logger;
        _isLeader = Metrics.WithCustomRegistry(registry ?? Metrics.DefaultRegistry).CreateGauge("leader_election_master_status",
            "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.",
            new GaugeConfiguration { LabelNames = ["name"] });
    }

    /// <summary>True while this replica holds the Lease.</summary>
    public bool IsLeader => _leading;

    /// <summary>
    /// Runs <paramref name="whileLeading"/> each time leadership is gained, cancelling it when leadership is lost.
    /// Returns when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> whileLeading, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(whileLeading);
        var leaseLock = new LeaseLock(_client, _options.Namespace, _options.LeaseName, _options.Identity);
        var config = new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = _options.LeaseDuration,
            RenewDeadline = _options.RenewDeadline,
            RetryPeriod = _options.RetryPeriod,
        };
        using var elector = new LeaderElector(config);
        CancellationTokenSource? term = null;
        Task? work = null;
        elector.OnStartedLeading += () =>
        {
            _leading = true;
            _isLeader.WithLabels(_options.LeaseName).Set(1);
            _logger.LogInformation("Became leader of lease {Namespace}/{Lease} as {Identity}", _options.Namespace, _options.LeaseName, _options.Identity);
            term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var token = term.Token;
            // A previous term's work was cancelled when leadership was lost; let it finish before starting again,
            // so two generations of controllers never overlap.
            var previous = work ?? Task.CompletedTask;
            work = Task.Run(async () =>
            {
                await previous.ContinueWith(_ => { }, TaskScheduler.Default);
                await whileLeading(token);
            }, CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            _leading = false;
            _isLeader.WithLabels(_options.LeaseName).Set(0);
            _logger.LogWarning("Lost lease {Namespace}/{Lease}; stopping controllers", _options.Namespace, _options.LeaseName);
            term?.Cancel();
        };
        elector.OnError += ex => _logger.LogWarning(ex, "Leader election error on {Namespace}/{Lease}", _options.Namespace, _options.LeaseName);
        try
        {
            await elector.RunAndTryToHoldLeadershipForeverAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Normal stop.
        }
        finally
        {
            term?.Cancel();
            if (work is not null)
            {
                await work.ContinueWith(_ => { }, TaskScheduler.Default);
            }
            term?.Dispose();
            _leading = false;
            // Stopped (not deposed) while holding the Lease, and the work has ended: hand the Lease back.
            if (cancellationToken.IsCancellationRequested && elector.IsLeader())
            {
                await ReleaseAsync();
            }
        }
    }

    /// <summary>
    /// Gives the Lease up on a graceful stop, as client-go's leader election does with ReleaseOnCancel
    /// (tools/leaderelection/leaderelection.go, release(): an empty holderIdentity, a 1 s leaseDurationSeconds, renew and
    /// acquire times of now). A candidate then takes an unheld Lease at once (KubernetesClient's LeaderElector, like
    /// client-go's tryAcquireOrRenew, waits out a lease duration only while a holder is named), so a rolling restart
    /// hands over within a retry period instead of a lease duration. Only our own Lease is written, with its
    /// resourceVersion: one another replica took meanwhile is left alone (409). Failures are logged; the Lease then
    /// expires as it would have.
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(_options.RenewDeadline);
        try
        {
            var lease = await _client.CoordinationV1.ReadNamespacedLeaseAsync(_options.LeaseName, _options.Namespace,
                cancellationToken: timeout.Token);
            if (lease.Spec?.HolderIdentity != _options.Identity)
            {
                return;
            }
            var now = DateTime.UtcNow;
            lease.Spec.HolderIdentity = "";
            lease.Spec.LeaseDurationSeconds = 1;
            lease.Spec.AcquireTime = now;
            lease.Spec.RenewTime = now;
            await _client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, _options.LeaseName, _options.Namespace,
                cancellationToken: timeout.Token);
            _logger.LogInformation("Released lease {Namespace}/{Lease}", _options.Namespace, _options.LeaseName);
        }
        catch (Exception ex) when (ex is k8s.Autorest.HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            _logger.LogWarning("Could not release lease {Namespace}/{Lease} ({Reason}); it expires after its duration",
                _options.Namespace, _options.LeaseName, ex.GetType().Name);
        }
    }
}
