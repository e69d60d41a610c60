using HipaaMongo.ControllerRuntime.Hosting.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace HipaaMongo.ControllerRuntime.Hosting;

/// <summary>
/// HttpEndpoints serves /healthz and /readyz (ready once every informer has synced; standbys are ready too)
/// and /metrics (Prometheus text format, through prometheus-net), each on its configured address, with Kestrel.
/// /metrics is served over HTTPS only and only to a caller that <see cref="MetricsAccessReview"/> lets in; the
/// probes stay open, as the kubelet calls them without credentials.
/// </summary>
public sealed class HttpEndpoints(IOptions<ControllerRuntimeOptions> options, ControllerManager manager,
    MetricsAccessReview review, ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    private readonly List<WebApplication> _apps = [];
    private ServingCertificate? _certificate;

    /// <summary>The addresses actually bound (useful when a port of 0 was asked for).</summary>
    public IReadOnlyList<string> BoundAddresses => [.. _apps.SelectMany(a => a.Urls)];

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var probes = o.ProbeAddress;
        var metrics = o.MetricsAddress;
        if (probes.Length > 0 && probes == metrics)
        {
            await StartAppAsync(probes, app =>
            {
                MapProbes(app);
                MapMetrics(app);
            }, cancellationToken);
            return;
        }
        if (probes.Length > 0)
        {
            await StartAppAsync(probes, MapProbes, cancellationToken);
        }
        if (metrics.Length > 0)
        {
            await StartAppAsync(metrics, MapMetrics, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        foreach (var app in _apps)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }
        _apps.Clear();
        _certificate?.Dispose();
    }

    private async Task StartAppAsync(string url, Action<WebApplication> map, CancellationToken cancellationToken)
    {
        // No config reload: with an appsettings.json present, the default watches the whole working directory tree.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseUrls(url);
        if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
        {
            var certificate = _certificate ??= new ServingCertificate(options.Value.MetricsCertDir);
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k => k.ConfigureHttpsDefaults(https =>
                https.ServerCertificateSelector = (_, _) => certificate.Current()));
        }
        // Share the host's logging so these servers log in the same (JSON) format.
        builder.Services.AddSingleton(loggerFactory);
        var app = builder.Build();
        map(app);
        await app.StartAsync(cancellationToken);
        _apps.Add(app);
    }

    private void MapProbes(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapGet("/readyz", () => manager.CachesSynced
            ? Results.Text("ok")
            : Results.Text("informers not synced", statusCode: StatusCodes.Status503ServiceUnavailable));
    }

    private void MapMetrics(WebApplication app) =>
        app.MapGet("/metrics", async context =>
        {
            var decision = await review.DecideAsync(context.Request.Headers.Authorization.ToString(),
                context.Request.Method.ToLowerInvariant(), context.Request.Path.Value ?? "/metrics", context.RequestAborted);
            if (!decision.Allowed)
            {
                context.Response.StatusCode = decision.StatusCode;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(decision.Message + "\n", context.RequestAborted);
                return;
            }
            context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
            await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(context.Response.Body, context.RequestAborted);
        });
}
