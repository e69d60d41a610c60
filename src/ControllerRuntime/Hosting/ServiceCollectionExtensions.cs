using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ControllerRuntime.Hosting;

/// <summary>Registers the controller runtime on a Microsoft.Extensions.Hosting host.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the manager, probes and metrics endpoints, JSON console logs and a default <see cref="IKubernetes"/>
    /// (in-cluster config, else ~/.kube/config or $KUBECONFIG) unless one is already registered. Options are
    /// validated at start. Returns a builder to add informers and controllers.
    /// </summary>
    public static ControllerRuntimeBuilder AddControllerRuntime(this IServiceCollection services,
        Action<ControllerRuntimeOptions>? configure = null, string eventSource = "controller-runtime")
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ControllerRuntimeOptions>()
            .Configure(o => configure?.Invoke(o))
            .Validate(o =>
            {
                o.Validate();
                return true;
            })
            .ValidateOnStart();
        // The log format is decided now, from the delegate, because logging providers are registered now.
        var initial = new ControllerRuntimeOptions();
        configure?.Invoke(initial);
        if (initial.JsonLogs)
        {
            services.AddLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddJsonConsole(json =>
                {
                    json.IncludeScopes = true;
                    json.UseUtcTimestamp = true;
                });
            });
        }
        // ASP.NET Core logs every request at Information: six lines per kubelet probe, every few seconds, forever.
        services.AddLogging(logging => logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning));
        services.TryAddSingleton<IKubernetes>(_ => new Kubernetes(KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile()));
        services.TryAddSingleton(_ => new ControllerMetrics());
        services.TryAddSingleton<IEventSink>(sp => new KubernetesEventSink(sp.GetRequiredService<IKubernetes>()));
        services.TryAddSingleton(sp => new EventRecorder(sp.GetRequiredService<IEventSink>(), eventSource,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<EventRecorder>(), host: Environment.MachineName));
        services.TryAddSingleton<ControllerManager>();
        services.AddHostedService(sp => sp.GetRequiredService<ControllerManager>());
        services.TryAddSingleton(sp => new Metrics.MetricsAccessReview(sp.GetRequiredService<IKubernetes>(),
            sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.TryAddSingleton<HttpEndpoints>();
        services.AddHostedService(sp => sp.GetRequiredService<HttpEndpoints>());
        return new ControllerRuntimeBuilder(services);
    }
}
