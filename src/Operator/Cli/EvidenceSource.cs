using System.Text.Json;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reporting;
using HipaaMongo.Operator.Users.Journal;
using k8s;

namespace HipaaMongo.Operator.Cli;

/// <summary>What the report command read: the stored record and the Events, or one error line and its exit code.</summary>
internal sealed record EvidenceRead(EvidenceRecord? Record, IReadOnlyList<ReportEvent> Events, string? Error, int ExitCode,
    AccessReview? Access = null)
{
    public static EvidenceRead Failed(string error, int code) => new(null, [], error, code);
}

/// <summary>
/// The I/O edge of `hipaa-mongo report`: reads the HipaaMongo, its evidence ConfigMap and its Events. Each
/// failure becomes one line; nothing read here is a secret (the ConfigMap holds evidence sentences only).
/// </summary>
internal static class EvidenceSource
{
    public static async Task<EvidenceRead> ReadAsync(IKubernetes client, string @namespace, string name, CancellationToken ct)
    {
        var what = $"hipaamongo {@namespace}/{name}";
        var stage = what;
        try
        {
            var resource = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync(
                ApiGroup.Group, ApiGroup.Version, @namespace, ApiGroup.Plural, name, ct);
            var uid = resource.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("uid", out var u) ? u.GetString() : null;

            var configMap = EvidenceRecord.ConfigMapName(name);
            stage = $"configmap {@namespace}/{configMap}";
            var record = await RecordAsync(client, @namespace, name, configMap, ct);
            if (record.Error is not null)
            {
                return record;
            }

            stage = $"the events of {what}";
            record = record with { Events = await EventsAsync(client, @namespace, name, uid, ct) };
            stage = $"the access journal and the HipaaMongoUsers of {what}";
            return record with { Access = await AccessAsync(client, @namespace, name, ct) };
        }
        catch (Exception e) when (ClusterErrors.IsNotFound(e) && stage == what)
        {
            return EvidenceRead.Failed($"{what} not found", CliApp.NotFound);
        }
        catch (Exception e) when (ClusterErrors.IsClusterError(e) && !ct.IsCancellationRequested)
        {
            return EvidenceRead.Failed(ClusterErrors.Describe(e, stage), CliApp.ClusterError);
        }
    }

    private static async Task<EvidenceRead> RecordAsync(IKubernetes client, string @namespace, string name, string configMap, CancellationToken ct)
    {
        var none = $"no compliance evaluation recorded yet for {@namespace}/{name}; the operator writes one after its first verification";
        k8s.Models.V1ConfigMap map;
        try
        {
            map = await client.CoreV1.ReadNamespacedConfigMapAsync(configMap, @namespace, cancellationToken: ct);
        }
        catch (Exception e) when (ClusterErrors.IsNotFound(e))
        {
            return EvidenceRead.Failed(none, CliApp.NotFound);
        }

        if (map.Data?.TryGetValue(EvidenceRecord.DataKey, out var json) != true || json is null)
        {
            return EvidenceRead.Failed($"{none} (ConfigMap {configMap} has no {EvidenceRecord.DataKey})", CliApp.NotFound);
        }

        try
        {
            return new EvidenceRead(EvidenceRecordCodec.Deserialize(json), [], null, CliApp.Ok);
        }
        catch (FormatException e)
        {
            return EvidenceRead.Failed($"the evidence in ConfigMap {@namespace}/{configMap} cannot be read: {e.Message}", CliApp.NotFound);
        }
    }

    /// <summary>
    /// The access journal ConfigMap (absent: nothing changed yet) and each HipaaMongoUser of this HipaaMongo's PHI
    /// access review (status.phiAccess, which the operator writes).
    /// </summary>
    private static async Task<AccessReview> AccessAsync(IKubernetes client, string @namespace, string name, CancellationToken ct)
    {
        k8s.Models.V1ConfigMap? journal = null;
        try
        {
            journal = await client.CoreV1.ReadNamespacedConfigMapAsync(AccessJournalStore.ConfigMapName(name), @namespace, cancellationToken: ct);
        }
        catch (Exception e) when (ClusterErrors.IsNotFound(e))
        {
        }

        var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, @namespace,
            UserApiGroup.Plural, cancellationToken: ct);
        var users = KubernetesJson.Deserialize<HipaaMongoUserList>(list.GetRawText()).Items
            .Where(u => u.Spec?.HipaaMongoRef?.Name == name)
            .OrderBy(u => u.Metadata.Name, StringComparer.Ordinal);
        var phi = users.SelectMany(u => (u.Status?.PhiAccess ?? []).Select(line => $"HipaaMongoUser {u.Metadata.Name} ({u.Status?.Username}): {line}"));
        return new AccessReview(AccessJournalStore.All(journal), [.. phi]);
    }

    private static async Task<IReadOnlyList<ReportEvent>> EventsAsync(IKubernetes client, string @namespace, string name, string? uid, CancellationToken ct)
    {
        var events = new List<ReportEvent>();
        string? next = null;
        do
        {
            var page = await client.CoreV1.ListNamespacedEventAsync(@namespace, continueParameter: next,
                fieldSelector: ReportEvents.Selector(@namespace, name, uid), limit: 500, cancellationToken: ct);
            events.AddRange(page.Items.Select(ReportEvents.From).OfType<ReportEvent>());
            next = page.Metadata?.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(next));
        return events;
    }
}
