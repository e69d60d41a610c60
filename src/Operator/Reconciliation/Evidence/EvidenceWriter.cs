using System.Text.Json.Nodes;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reporting;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Reconciliation.Evidence;

/// <summary>
/// Keeps the evidence ConfigMap (<see cref="EvidenceRecord.ConfigMapName"/>, owned by the HipaaMongo) that
/// `hipaa-mongo report` reads: the latest evaluation, the rendered config hash, the certificates and a bounded
/// ledger of corrections (so evidence outlives Event TTLs). Written by server-side apply, only when the
/// reconciler wrote a new status or corrected something, so a pass with nothing new writes nothing.
/// </summary>
public sealed partial class EvidenceWriter(OwnedCaches caches, ObjectWriter writer, ILogger<EvidenceWriter> logger)
{
    private static readonly ResourcePath ConfigMaps = new("", "v1", "configmaps");

    public async Task WriteAsync(HipaaMongoResource resource, ComplianceReport report, string configHash,
        IReadOnlyList<CertificateEntry> certificates, IReadOnlyList<DriftCorrection> corrections, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var name = EvidenceRecord.ConfigMapName(resource.Metadata.Name);
        var previous = Stored(resource);
        var record = EvidenceLedger.Next(previous, report, configHash, certificates, corrections);
        await writer.ApplyAsync(ConfigMaps, Desired(resource, name, EvidenceRecordCodec.Serialize(record)), ct);
    }

    /// <summary>
    /// The record as the cache holds it, null when absent or unreadable (another build's version, a hand edit):
    /// then it is replaced, not fatal, and the ledger starts again.
    /// </summary>
    public EvidenceRecord? Stored(HipaaMongoResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var key = new ObjectKey(resource.Metadata.NamespaceProperty, EvidenceRecord.ConfigMapName(resource.Metadata.Name));
        var text = caches.ConfigMaps.Get(key)?.Data?.TryGetValue(EvidenceRecord.DataKey, out var json) == true ? json : null;
        if (text is null)
        {
            return null;
        }
        try
        {
            return EvidenceRecordCodec.Deserialize(text);
        }
        catch (FormatException)
        {
            LogUnreadable(logger, key.ToString());
            return null;
        }
    }

    // The same metadata as every child (ObjectMetaFactory: labels and the controller owner reference).
    private static JsonObject Desired(HipaaMongoResource resource, string name, string json) =>
        JsonNode.Parse(KubernetesJson.Serialize(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = ObjectMetaFactory.Create(BaselineModelMapper.Map(resource), name, "compliance"),
            Data = new Dictionary<string, string> { [EvidenceRecord.DataKey] = json },
        }))!.AsObject();

    [LoggerMessage(Level = LogLevel.Warning, Message = "evidence record {Key} is unreadable; starting a new ledger")]
    private static partial void LogUnreadable(ILogger logger, string key);
}
