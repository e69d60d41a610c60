using System.Net;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.ClusterSimulations.Pods;
using HipaaMongo.ClusterSimulations.StatefulSets;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ClusterSimulations;

/// <summary>Which simulations run (`local-cluster --simulate all` or a comma list).</summary>
[Flags]
public enum SimulationKinds
{
    None = 0,
    CertManager = 1,
    /// <summary>The StatefulSet and PV controllers, a volume provisioner, the scheduler and the kubelet.</summary>
    Workloads = 2,
    All = CertManager | Workloads,
}

/// <summary>Starts the chosen simulations against one API with one shared <see cref="Clock.SimulationClock"/>.</summary>
public static class ClusterSimulationSet
{
    /// <summary>Parses "all", "none", or a comma list of "cert-manager", "workloads" (alias "statefulsets", "pods").</summary>
    public static SimulationKinds Parse(string? text)
    {
        var kinds = SimulationKinds.None;
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            kinds |= part.ToLowerInvariant() switch
            {
                "all" => SimulationKinds.All,
                "none" => SimulationKinds.None,
                "cert-manager" or "certmanager" => SimulationKinds.CertManager,
                "workloads" or "statefulsets" or "pods" => SimulationKinds.Workloads,
                _ => throw new ArgumentException($"unknown simulation '{part}' (use all, none, cert-manager, workloads)", nameof(text)),
            };
        }
        return kinds;
    }

    /// <summary>Installs the CRDs the simulations need (existing ones are left alone), then runs them until cancelled.</summary>
    public static async Task RunAsync(IKubernetes client, SimulationKinds kinds, TimeProvider clock, ILoggerFactory loggers,
        IPodWorkload? workload = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var runs = new List<Task>();
        var owned = new List<IDisposable>();
        try
        {
            if (kinds.HasFlag(SimulationKinds.CertManager))
            {
                await InstallCertManagerCrdsAsync(client, cancellationToken);
                var cm = new CertManagerSimulation(client, clock, loggers);
                owned.Add(cm);
                runs.Add(cm.RunAsync(cancellationToken));
            }
            if (kinds.HasFlag(SimulationKinds.Workloads))
            {
                var wl = new WorkloadSimulation(client, clock, loggers, workload);
                owned.Add(wl);
                runs.Add(wl.RunAsync(cancellationToken));
            }
            await Task.WhenAll(runs);
        }
        finally
        {
            owned.ForEach(o => o.Dispose());
        }
    }

    /// <summary>Creates the cert-manager.io CRDs; a CRD that already exists is kept as is.</summary>
    public static async Task InstallCertManagerCrdsAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        foreach (var crd in KubernetesYaml.LoadAllFromString(CertManagerCrds.Yaml).OfType<V1CustomResourceDefinition>())
        {
            await KubernetesErrors.IgnoreAsync(() => client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd,
                cancellationToken: cancellationToken), HttpStatusCode.Conflict);
        }
    }
}
