using HipaaMongo.ControllerRuntime.Hosting;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Hosting;
using HipaaMongo.Operator.Reconciliation;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Benchmarks.Drift;

/// <summary>The three designs under comparison, each hosted on Microsoft.Extensions.Hosting against the cluster.</summary>
public static class DriftHosts
{
    public const string OperatorNamespace = "hipaa-mongo-system";
    public const int Workers = 4;

    /// <summary>Ours: the operator exactly as `hipaa-mongo run` wires it (watches on every owned kind).</summary>
    public static Task<IHost> OperatorAsync(IKubernetes client, CancellationToken ct) =>
        StartAsync(client, services => services.AddHipaaMongoOperator(Options()), ct);

    /// <summary>
    /// The peer design: the same services and reconciler, but the controller is re-registered so that only the
    /// HipaaMongo's own events and a 5 s requeue wake it. The owned kinds' informers still fill the caches the
    /// reconciler reads (as controller-runtime's cached client does for Percona), with no handler on them.
    /// </summary>
    public static Task<IHost> PeriodicAsync(IKubernetes client, CancellationToken ct) =>
        StartAsync(client, services =>
        {
            services.AddHipaaMongoOperator(Options());
            PeriodicController.Replace(services, Workers);
        }, ct);

    /// <summary>The floor: the same runtime (informer, queue, workers), a reconciler that only re-creates a deleted default-deny policy.</summary>
    public static Task<IHost> EchoAsync(IKubernetes client, CancellationToken ct) =>
        StartAsync(client, services => services
            .AddControllerRuntime(o =>
            {
                o.ProbeAddress = "";
                o.MetricsAddress = "";
                o.JsonLogs = false;
            }, "drift-echo")
            .AddController<HipaaMongoResource, EchoReconciler>("echo", Workers, w => w.Owns<V1NetworkPolicy>(), OperatorServices.HipaaMongoType), ct);

    static OperatorOptions Options() => new()
    {
        ProbeAddress = "",
        MetricsAddress = "",
        JsonLogs = false,
        OperatorNamespace = OperatorNamespace,
        Workers = Workers,
    };

    static async Task<IHost> StartAsync(IKubernetes client, Action<IServiceCollection> configure, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(client);
        configure(builder.Services);
        var host = builder.Build();
        await host.StartAsync(ct);
        return host;
    }

    /// <summary>True once every informer of the host has stored its first list.</summary>
    public static bool Synced(IHost host) => host.Services.GetServices<IInformer>().All(i => i.HasSynced);

    public static async Task StopAsync(IHost host)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(stop.Token);
        host.Dispose();
    }
}
