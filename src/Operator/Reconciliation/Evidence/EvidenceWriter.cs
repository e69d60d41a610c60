using System.Collections.Concurrent;
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
/// ledger of corrections (so evidence outlives Event TTLs), and beside it the <see cref="PassRecord"/> the next pass
/// starts from. Written by server-side apply, only when the reconciler has something new, so a pass at rest writes
/// nothing.
/// </summary>
public sealed partial class EvidenceWriter(OwnedCaches caches, ObjectWriter writer, ILogger<EvidenceWriter> logger)
{
    private static readonly ResourcePath ConfigMaps = new("", "v1", "configmaps");

    // Read-your-writes, as client-go's MutationCache: what this process wrote, kept only while the informer still
    // shows the object as it was before that write (same resourceVersion). A new process has written nothing and
    // its informer is synced before the first pass, so it reads what this cache would have given: losing the
    // cache changes nothing observable.
    private readonly ConcurrentDictionary<ObjectKey, (string? Before, JsonObject Written)> _written = new();

    public async Task WriteAsync(HipaaMongoResource resource, ComplianceReport report, string configHash,
        IReadOnlyList<CertificateEntry> certificates, IReadOnlyList<DriftCorrection> corrections, PassRecord pass, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(pass);
        var key = Key(resource);
        var before = caches.ConfigMaps.Get(key);
        var record = EvidenceLedger.Next(Stored(resource).Record, report, configHash, certificates, corrections);
        var desired = Desired(resource, key.Name, EvidenceRecordCodec.Serialize(record), PassRecordCodec.Serialize(pass));
        await writer.ApplyAsync(ConfigMaps, desired, ct);
        _written[key] = (before?.Metadata?.ResourceVersion, desired);
    }

    /// <summary>
    /// The stored records (what the last pass wrote), each null when absent or unreadable (another build's version,
    /// a hand edit): then it is replaced, not fatal; the ledger starts again and the pass runs as a first one.
    /// </summary>
    public StoredEvidence Stored(HipaaMongoResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var data = Data(Key(resource));
        return new StoredEvidence(Evidence(data?.GetValueOrDefault(EvidenceRecord.DataKey)),
            PassRecordCodec.Deserialize(data?.GetValueOrDefault(PassRecord.DataKey)));
    }

    /// <summary>Forgets what this process wrote for a resource that is gone.</summary>
    public void Forget(HipaaMongoResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        _written.TryRemove(Key(resource), out _);
    }

    private IReadOnlyDictionary<string, string>? Data(ObjectKey key)
    {
        var cached = caches.ConfigMaps.Get(key);
        if (_written.TryGetValue(key, out var mine))
        {
            if (cached?.Metadata?.ResourceVersion == mine.Before)
            {
                return mine.Written["data"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal);
            }
            _written.TryRemove(key, out _); // the informer shows our write or a later one
        }
        return cached?.Data?.AsReadOnly();
    }

    private EvidenceRecord? Evidence(string? text)
    {
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
            LogUnreadable(logger);
            return null;
        }
    }

    private static ObjectKey Key(HipaaMongoResource resource) =>
        new(resource.Metadata.NamespaceProperty, EvidenceRecord.ConfigMapName(resource.Metadata.Name));

    // The same metadata as every child (ObjectMetaFactory: labels and the controller owner reference).
    private static JsonObject Desired(HipaaMongoResource resource, string name, string evidence, string pass) =>
        JsonNode.Parse(KubernetesJson.Serialize(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = ObjectMetaFactory.Create(BaselineModelMapper.Map(resource), name, "compliance"),
            Data = new Dictionary<string, string> { [EvidenceRecord.DataKey] = evidence, [PassRecord.DataKey] = pass },
        }))!.AsObject();

    [LoggerMessage(Level = LogLevel.Warning, Message = "an evidence record is unreadable; starting a new ledger")]
    private static partial void LogUnreadable(ILogger logger);
}
