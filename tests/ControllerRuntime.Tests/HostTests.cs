using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using HipaaMongo.ControllerRuntime.Hosting;
using HipaaMongo.ControllerRuntime.Reconcile;
using HipaaMongo.ControllerRuntime.Tests.Support;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HipaaMongo.ControllerRuntime.Tests;

public sealed class RecordingReconciler : IReconciler<V1ConfigMap>
{
    public ConcurrentQueue<ObjectKey> Keys { get; } = new();

    public Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        Keys.Enqueue(key);
        return Task.FromResult(ReconcileResult.Done);
    }
}

public class HostTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task Eventually(Func<bool> condition, string what) => HipaaMongo.TestSupport.Eventually.TrueAsync(condition, what, Timeout);

    [Fact]
    public async Task The_host_reconciles_primary_and_owned_objects_and_serves_probes_and_metrics()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.ScriptListAt("/api/v1/namespaces/prod/configmaps", "5", FakeApiServer.Obj("v1", "ConfigMap", "prod", "cm1", "5"));
        server.ScriptWatchAt("/api/v1/namespaces/prod/configmaps", false);
        var secret = FakeApiServer.Obj("v1", "Secret", "prod", "s1", "7");
        secret["metadata"]!["ownerReferences"] = System.Text.Json.Nodes.JsonNode.Parse(
            """[{"apiVersion":"v1","kind":"ConfigMap","name":"cm2","uid":"u2","controller":true}]""");
        server.ScriptListAt("/api/v1/namespaces/prod/secrets", "7", secret);
        server.ScriptWatchAt("/api/v1/namespaces/prod/secrets", false);

        server.Tokens["reader-token"] = "system:serviceaccount:monitoring:prometheus";
        server.Tokens["other-token"] = "system:serviceaccount:default:app";
        server.MetricsReaders["system:serviceaccount:monitoring:prometheus"] = true;
        var probeUrl = $"http://127.0.0.1:{FreePort()}";
        var metricsUrl = $"https://127.0.0.1:{FreePort()}";
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IKubernetes>(_ => server.Client());
        builder.Services.AddSingleton<RecordingReconciler>();
        builder.Services.AddControllerRuntime(o =>
            {
                o.ProbeAddress = probeUrl;
                o.MetricsAddress = metricsUrl;
                o.WatchNamespaces = ["prod"];
                o.JsonLogs = false;
            })
            .AddController<V1ConfigMap, RecordingReconciler>("configmaps", workers: 2, w => w.Owns<V1Secret>());
        using var host = builder.Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var reconciler = host.Services.GetRequiredService<RecordingReconciler>();
            await Eventually(() => reconciler.Keys.Contains(new ObjectKey("prod", "cm1")), "primary object reconciled");
            await Eventually(() => reconciler.Keys.Contains(new ObjectKey("prod", "cm2")), "owner of the secret reconciled");

            using var http = new HttpClient { BaseAddress = new Uri(probeUrl), Timeout = Timeout };
            var ct = TestContext.Current.CancellationToken;
            Assert.Equal("ok", await http.GetStringAsync("/healthz", ct));
            Assert.Equal("ok", await http.GetStringAsync("/readyz", ct));
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics", ct)).StatusCode);

            // The self-signed serving certificate is not trusted here: curl -k does the same.
            using var tls = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true })
            {
                BaseAddress = new Uri(metricsUrl),
                Timeout = Timeout,
            };
            Assert.Equal(HttpStatusCode.Unauthorized, (await tls.GetAsync("/metrics", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(tls, "unknown-token")).StatusCode);
            var denied = await Get(tls, "other-token");
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
            Assert.Contains("system:serviceaccount:default:app", await denied.Content.ReadAsStringAsync(ct));
            var allowed = await Get(tls, "reader-token");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            var metrics = await allowed.Content.ReadAsStringAsync(ct);
            Assert.Contains("controller_runtime_reconcile_total{controller=\"configmaps\",result=\"success\"}", metrics);
            Assert.Contains("workqueue_depth{name=\"configmaps\",controller=\"configmaps\"}", metrics);
            Assert.Contains("controller_runtime_max_concurrent_reconciles{controller=\"configmaps\"} 2", metrics);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static Task<HttpResponseMessage> Get(HttpClient http, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return http.SendAsync(request, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void Invalid_options_are_reported_clearly()
    {
        var options = new ControllerRuntimeOptions { ProbeAddress = "8081" };
        var ex = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("ProbeAddress", ex.Message);
        Assert.Throws<ArgumentException>(new ControllerRuntimeOptions { WatchNamespaces = ["Bad_NS"] }.Validate);
        var plain = Assert.Throws<ArgumentException>(new ControllerRuntimeOptions { MetricsAddress = "http://0.0.0.0:8080" }.Validate);
        Assert.Contains("https", plain.Message);
    }

    [Fact]
    public async Task Readyz_fails_until_the_informers_have_synced_while_healthz_is_ok()
    {
        await using var server = await FakeApiServer.StartAsync();
        server.ListGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.ScriptWatch(false);
        var probeUrl = $"http://127.0.0.1:{FreePort()}";
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IKubernetes>(_ => server.Client());
        builder.Services.AddControllerRuntime(o =>
            {
                o.ProbeAddress = probeUrl;
                o.MetricsAddress = "";
                o.JsonLogs = false;
            })
            .AddController<V1ConfigMap, RecordingReconciler>("configmaps");
        using var host = builder.Build();
        var ct = TestContext.Current.CancellationToken;
        await host.StartAsync(ct);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(probeUrl), Timeout = Timeout };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz", ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/metrics", ct)).StatusCode);

            server.ListGate.SetResult();
            var ready = false;
            using var cts = new CancellationTokenSource(Timeout);
            while (!ready && !cts.IsCancellationRequested)
            {
                ready = (await http.GetAsync("/readyz", ct)).StatusCode == HttpStatusCode.OK;
                await Task.Delay(20, ct);
            }
            Assert.True(ready, "/readyz never turned ready after the list was served");
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public void Json_console_logs_are_the_default()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddControllerRuntime();
        using var host = builder.Build();
        var console = host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>>();
        Assert.Equal(Microsoft.Extensions.Logging.Console.ConsoleFormatterNames.Json, console.Value.FormatterName);
    }
}
