using System.Collections.Concurrent;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Hosting;
using HipaaMongo.Operator.Reconciliation.Apply;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>A cluster without cert-manager: the operator says what is missing and what to install, and stays unready.</summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class CertManagerMissingTests
{
    [Fact(Timeout = 60_000)]
    public async Task Without_cert_manager_crds_the_operator_logs_what_to_install_and_stays_unsynced()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions(), ct);
        using var client = server.CreateClient();
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(
            File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "config", "crds", "hipaa.mongooperator.io_hipaamongos.yaml")));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: ct);
        var logs = new CapturingLoggerProvider();
        using var host = BuildHost(client, logs);

        await host.StartAsync(ct);
        try
        {
            var line = await OperatorHarness.EventuallyAsync(() => Task.FromResult(logs.Errors().FirstOrDefault(l => l.Contains("certificates", StringComparison.Ordinal))),
                l => l is not null, "an error naming the missing certificates resource", ct);
            Assert.Contains("cert-manager.io/v1", line);
            Assert.Contains("404", line);
            Assert.Contains("install cert-manager", line);
            await OperatorHarness.EventuallyAsync(() => Task.FromResult(logs.Errors()),
                ls => ls.Any(l => l.Contains("cert-manager.io/v1 issuers", StringComparison.Ordinal)), "an error naming issuers", ct);
            // As in controller-runtime, controllers wait for every cache: no pass runs against a half-known cluster.
            await OperatorHarness.EventuallyAsync(() => Task.FromResult(host.Services.GetRequiredService<Informer<V1ConfigMap>>().HasSynced),
                synced => synced, "the ConfigMap informer synced", ct);
            Assert.False(host.Services.GetRequiredService<Informer<LiveCertificate>>().HasSynced);
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stop.Token);
        }
    }

    private static IHost BuildHost(Kubernetes client, CapturingLoggerProvider logs)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IKubernetes>(client);
        builder.Services.AddHipaaMongoOperator(new OperatorOptions
        {
            ProbeAddress = "",
            MetricsAddress = "",
            JsonLogs = false,
            Namespaces = [OperatorHarness.Namespace],
        });
        builder.Logging.AddProvider(logs);
        return builder.Build();
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

        public string[] Errors() => [.. _lines.Where(l => l.Level >= LogLevel.Error).Select(l => l.Text)];

        public ILogger CreateLogger(string categoryName) => new Logger(_lines);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<(LogLevel, string)> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
                Func<TState, Exception?, string> formatter) => lines.Enqueue((logLevel, formatter(state, exception)));
        }
    }
}
