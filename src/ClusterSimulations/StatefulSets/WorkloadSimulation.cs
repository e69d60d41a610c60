using HipaaMongo.ClusterSimulations.Pods;
using HipaaMongo.ClusterSimulations.Volumes;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ClusterSimulations.StatefulSets;

/// <summary>
/// The StatefulSet controller, the PV controller with a dynamic provisioner, the scheduler and the kubelet,
/// simulated together against any Kubernetes API: sets become pods, claims and ControllerRevisions, claims become
/// Bound to provisioned volumes, and pods get loopback IPs and become Running and Ready (after their claims are
/// Bound and their <see cref="IPodWorkload"/> starts).
/// </summary>
public sealed class WorkloadSimulation : IDisposable
{
    private readonly SimulationRunner _runner;
    private readonly LoopbackAddressPool? _ownedAddresses;

    /// <summary>Wires the simulation; nothing runs until <see cref="RunAsync"/>.</summary>
    public WorkloadSimulation(IKubernetes client, TimeProvider clock, ILoggerFactory loggers, IPodWorkload? workload = null,
        LoopbackAddressPool? addresses = null, ControllerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(loggers);
        _ownedAddresses = addresses is null ? new LoopbackAddressPool() : null;
        Addresses = addresses ?? _ownedAddresses!;
        _runner = new SimulationRunner(client, loggers.CreateLogger<WorkloadSimulation>(),
            metrics ?? new ControllerMetrics(Prometheus.Metrics.NewCustomRegistry()));
        var sets = _runner.Informer<V1StatefulSet>();
        var pods = _runner.Informer<V1Pod>();
        var setQueue = _runner.Controller("statefulset", sets, new StatefulSetReconciler(client, clock, loggers.CreateLogger<StatefulSetReconciler>()));
        _runner.Controller("kubelet", pods, new PodReconciler(client, clock, Addresses, workload ?? new NoWorkload()));
        // A pod change wakes its controlling StatefulSet (the next one-at-a-time step).
        pods.AddHandler(OwnerMapping.EnqueueOwner<V1Pod>(setQueue, "apps", "StatefulSet"));
        if (clock is Clock.SimulationClock simulated)
        {
            // minReadySeconds is counted on the simulated clock: a jump may make Ready pods available.
            simulated.Moved += (_, _) =>
            {
                foreach (var set in sets.Cache.List(null))
                {
                    setQueue.Add(ObjectKey.From(set));
                }
            };
        }
        // Claims are provisioned and bound; a deleted claim wakes the volume it was bound to (reclaim policy).
        var claims = _runner.Informer<V1PersistentVolumeClaim>();
        var volumes = _runner.Informer<V1PersistentVolume>();
        _runner.Controller("pv-binder", claims, new ClaimBinder(client, loggers.CreateLogger<ClaimBinder>()));
        var volumeQueue = _runner.Controller("pv-reclaimer", volumes, new VolumeReclaimer(client, loggers.CreateLogger<VolumeReclaimer>()));
        claims.AddHandler(new ResourceEventHandler<V1PersistentVolumeClaim>
        {
            OnDelete = c => volumeQueue.Add(new ObjectKey(null, VolumeProvisioning.VolumeName(c))),
        });
        // pvc-protection and pv-protection: a claim in use, or a Bound volume, is only marked when deleted.
        var claimProtection = _runner.Controller("pvc-protection", claims, new ClaimProtection(client));
        _runner.Controller("pv-protection", volumes, new VolumeProtection(client));
        pods.AddHandler(SimulationRunner.On<V1Pod>(p =>
        {
            foreach (var claim in StorageProtection.ClaimsOf(p))
            {
                claimProtection.Add(new ObjectKey(p.Metadata.NamespaceProperty, claim));
            }
        }));
    }

    /// <summary>Which pod has which loopback IP.</summary>
    public LoopbackAddressPool Addresses { get; }

    /// <summary>Runs until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _runner.RunAsync(cancellationToken);

    public void Dispose()
    {
        _runner.Dispose();
        _ownedAddresses?.Dispose();
    }
}
