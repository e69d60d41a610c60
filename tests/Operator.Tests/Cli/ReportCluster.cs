using System.Text.Json;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Reporting;
using HipaaMongo.Operator.Tests.Compliance;
using HipaaMongo.Operator.Tests.Reconciliation;
using HipaaMongo.Operator.Tests.Reporting;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Cli;

/// <summary>
/// An in-process LocalCluster (no operator) seeded as the operator would leave it: the minimal sample
/// HipaaMongo, its evidence ConfigMap written with the codec from an evaluated report, and Events about it
/// (plus one about another object, which the report must leave out). A second resource has no evidence yet.
/// </summary>
public sealed class ReportCluster : IAsyncLifetime
{
    public const string Namespace = "clinical";
    public const string Name = "phi-db";
    public const string Unevaluated = "phi-db-new";
    public const string Damaged = "phi-db-damaged";
    public const string OtherEventReason = "SomethingElse";

    public static readonly EvidenceRecord Record = EvidenceRecords.Mixed() with
    {
        Corrections = [EvidenceRecords.Correction(-4)],
    };

    public static readonly ReportEvent Event =
        new(Observations.Now - TimeSpan.FromSeconds(200), "Warning", "ControlFailed", "MDB-SC-NETWORK Limit network exposure: passed -> failed");

    private LocalClusterServer? server;

    public string Kubeconfig { get; } = Path.Combine(Path.GetTempPath(), $"hm-report-{Guid.NewGuid():N}.kubeconfig");

    public LocalClusterServer Server => server!;

    public async ValueTask InitializeAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        server = await LocalClusterServer.StartAsync(new LocalClusterOptions { KubeconfigPath = Kubeconfig }, ct);
        using var client = server.CreateClient();
        await InstallCrdAsync(client, ct);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: ct);
        var uid = await CreateResourceAsync(client, Name, ct);
        await CreateResourceAsync(client, Unevaluated, ct);
        await CreateResourceAsync(client, Damaged, ct);
        await CreateEvidenceAsync(client, Name, EvidenceRecordCodec.Serialize(Record), ct);
        await CreateEvidenceAsync(client, Damaged, "{\"version\":1,\"controls\":[]", ct);
        await CreateEventAsync(client, "phi-db.1", Name, uid, Event, ct);
        await CreateEventAsync(client, "phi-db.2", Name, "another-uid", Event with { Reason = OtherEventReason }, ct);
        await CreateEventAsync(client, "phi-db-new.1", Unevaluated, null, Event with { Reason = OtherEventReason }, ct);
    }

    private static async Task<string> CreateResourceAsync(Kubernetes client, string name, CancellationToken ct)
    {
        var resource = OperatorHarness.Sample();
        resource["metadata"]!["name"] = name;
        resource["metadata"]!["namespace"] = Namespace;
        var created = (JsonElement)await client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, ApiGroup.Group, ApiGroup.Version,
            Namespace, ApiGroup.Plural, cancellationToken: ct);
        return created.GetProperty("metadata").GetProperty("uid").GetString()!;
    }

    private static async Task CreateEvidenceAsync(Kubernetes client, string name, string json, CancellationToken ct) =>
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = EvidenceRecord.ConfigMapName(name), NamespaceProperty = Namespace },
            Data = new Dictionary<string, string> { [EvidenceRecord.DataKey] = json },
        }, Namespace, cancellationToken: ct);

    private static async Task CreateEventAsync(Kubernetes client, string eventName, string name, string? uid, ReportEvent e, CancellationToken ct) =>
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = eventName, NamespaceProperty = Namespace },
            InvolvedObject = new V1ObjectReference { ApiVersion = ApiGroup.ApiVersion, Kind = ApiGroup.Kind, Name = name, NamespaceProperty = Namespace, Uid = uid },
            Type = e.Type,
            Reason = e.Reason,
            Message = e.Message,
            FirstTimestamp = e.At.UtcDateTime,
            LastTimestamp = e.At.UtcDateTime,
            Count = 1,
            Source = new V1EventSource { Component = "hipaa-mongo" },
        }, Namespace, cancellationToken: ct);

    /// <summary>Installs both of the operator's CRDs (HipaaMongo, HipaaMongoUser) and waits until each is Established.</summary>
    internal static async Task InstallCrdAsync(Kubernetes client, CancellationToken ct)
    {
        foreach (var file in new[] { "hipaa.mongooperator.io_hipaamongos.yaml", "hipaa.mongooperator.io_hipaamongousers.yaml" })
        {
            var text = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "config", "crds", file));
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(text);
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: ct);
            await OperatorHarness.EventuallyAsync(async () =>
                (await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(crd.Metadata.Name, cancellationToken: ct))
                    .Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true,
                ok => ok, $"the CRD {crd.Metadata.Name} Established", ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }

        File.Delete(Kubeconfig);
    }

    /// <summary>A kubeconfig's text with another bearer token (for RBAC tests).</summary>
    public static string WithToken(string kubeconfigYaml, string oldToken, string newToken) =>
        kubeconfigYaml.Replace(oldToken, newToken, StringComparison.Ordinal);
}
