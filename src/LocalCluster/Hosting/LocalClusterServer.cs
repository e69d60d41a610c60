using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Http;
using HipaaMongo.LocalCluster.Semantics;
using HipaaMongo.LocalCluster.Storage;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>A running LocalCluster: an in-memory Kubernetes API server on 127.0.0.1.</summary>
public sealed class LocalClusterServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly Certificates? certificates;
    readonly string token;

    LocalClusterServer(WebApplication app, Certificates? certificates, string token, ObjectService service, LocalClusterOptions options)
    {
        this.app = app;
        this.certificates = certificates;
        this.token = token;
        Service = service;
        Options = options;
    }

    public LocalClusterOptions Options { get; }

    /// <summary>e.g. https://127.0.0.1:41234</summary>
    public Uri BaseUrl { get; private set; } = new("https://127.0.0.1");

    /// <summary>The kubeconfig text (also written to Options.KubeconfigPath when set). Holds the bearer token.</summary>
    public string KubeconfigYaml { get; private set; } = "";

    public string? KubeconfigPath => Options.KubeconfigPath;

    /// <summary>The CA that signed the serving certificate, PEM (null over plain HTTP).</summary>
    public string? CaPem => certificates?.CaPem;

    internal ObjectService Service { get; }

    public ObjectStore Store => Service.Store;

    public TypeRegistry Registry => Service.Registry;

    public AuditTrail AuditTrail { get; } = new();

    public FaultInjector Faults { get; } = new();

    public TokenRegistry Tokens { get; } = new();

    /// <summary>A bearer token for a service account (authorized by RBAC when EnableRbac is on).</summary>
    public string ServiceAccountToken(string ns, string name) =>
        Tokens.Issue(new UserInfo($"system:serviceaccount:{ns}:{name}",
            ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]));

    /// <summary>A KubernetesClient configuration like <see cref="ClientConfiguration()"/> but with another token.</summary>
    public KubernetesClientConfiguration ClientConfiguration(string bearerToken)
    {
        var config = ClientConfiguration();
        config.AccessToken = bearerToken;
        return config;
    }

    /// <summary>Forgets watch history so every earlier resourceVersion is "too old" (410).</summary>
    public void Compact() => Store.Compact();

    /// <summary>Ends every open watch stream.</summary>
    public void DropAllWatches() => Store.DropWatches();

    /// <summary>A KubernetesClient configuration that trusts this server's CA and sends its token.</summary>
    public KubernetesClientConfiguration ClientConfiguration()
    {
        var config = new KubernetesClientConfiguration { Host = BaseUrl.ToString().TrimEnd('/'), AccessToken = token };
        if (certificates is not null)
        {
            config.SslCaCerts = [X509CertificateLoader.LoadCertificate(certificates.Ca.RawData)];
        }
        return config;
    }

    public Kubernetes CreateClient() => new(ClientConfiguration());

    public static async Task<LocalClusterServer> StartAsync(LocalClusterOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalClusterOptions();
        var token = options.Token ?? Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var certificates = options.PlainHttp ? null : Certificates.Create();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, PassiveLifetime>();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = 3 * 1024 * 1024;
            // Informers multiplex many long-lived watches over one HTTP/2 connection (kube-apiserver allows 1000 streams);
            // Kestrel's default of 100 would make the 101st request wait.
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            k.Limits.MinResponseDataRate = null;
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (certificates is not null)
                {
                    listen.UseHttps(certificates.Serving);
                }
            });
        });
        var app = builder.Build();
        var clock = TimeProvider.System;
        var store = new ObjectStore(options.WatchHistoryWindow);
        var service = new ObjectService(store, new TypeRegistry(), clock);
        var server = new LocalClusterServer(app, certificates, token, service, options);
        server.Tokens.Add(token, new UserInfo("local-admin", ["system:masters", "system:authenticated"]));
        if (options.StatePath is { } statePath && StateFile.Load(statePath) is { } saved)
        {
            store.Restore(saved.ResourceVersion, saved.Items);
            service.RestoreCrds();
        }
        else
        {
            Seed(service);
        }
        var watches = new WatchHandler(service, clock, () => options.BookmarkInterval);
        var handler = new ApiHandler(service, new ResourceHandler(service, watches, clock),
            new DiscoveryHandler(service.Registry, () => server.BaseUrl.Authority),
            new AdminHandler(store, server.Faults, server.AuditTrail, options.Clock) { MemberFaults = options.MemberFaults },
            server.AuditTrail, server.Faults, server.Tokens, () => options.EnableRbac, app.Logger);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port;
        server.BaseUrl = new Uri($"{(certificates is null ? "http" : "https")}://127.0.0.1:{port}");
        server.KubeconfigYaml = Kubeconfig.Render(server.BaseUrl.ToString().TrimEnd('/'), certificates?.CaPem ?? "", token);
        if (certificates is null)
        {
            server.KubeconfigYaml = server.KubeconfigYaml.Replace("    certificate-authority-data: \n", "", StringComparison.Ordinal);
        }
        if (options.KubeconfigPath is { } path)
        {
            Kubeconfig.Write(path, server.KubeconfigYaml);
        }
        return server;
    }

    static void Seed(ObjectService service)
    {
        var nsType = service.Registry.Find("", "v1", "namespaces")!;
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            service.Create(nsType, null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, new WriteOptions("kube-apiserver"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        Store.DropWatches();
        if (Options.StatePath is { } statePath)
        {
            StateFile.Save(Store, statePath);
        }
        await app.StopAsync(TimeSpan.FromSeconds(5));
        await app.DisposeAsync();
        certificates?.Dispose();
    }
}
