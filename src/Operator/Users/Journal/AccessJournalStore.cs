using System.Net;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reporting;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Users.Journal;

/// <summary>
/// Keeps the access journal of one HipaaMongo in the ConfigMap NAME-access-journal (owned by the HipaaMongo, not as
/// its controller, so it outlives every user and goes with the database), one data key per HipaaMongoUser. Each user
/// writes only its own key with a merge patch, so users journaling at once never overwrite each other; a key is
/// written only when a change was applied, so a settled pass writes nothing. `hipaa-mongo report` reads it.
/// </summary>
public sealed class AccessJournalStore(IKubernetes client)
{
    public static string ConfigMapName(string cluster) => cluster + "-access-journal";

    public static string Key(string user) => user + ".json";

    public async Task AppendAsync(HipaaMongoResource cluster, HipaaMongoUserResource user, IReadOnlyList<AccessJournalEntry> added, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(user);
        if (added.Count == 0) return;
        var ns = cluster.Metadata.NamespaceProperty;
        var name = ConfigMapName(cluster.Metadata.Name);
        var key = Key(user.Metadata.Name);
        var live = await ReadAsync(ns, name, ct);
        var stored = AccessJournal.Deserialize(live?.Data is { } data && data.TryGetValue(key, out var text) ? text : null);
        var json = AccessJournal.Serialize(AccessJournal.Append(stored, added));
        if (live is null && await CreatedAsync(cluster, name, key, json, ct)) return;
        var patch = new JsonObject { ["data"] = new JsonObject { [key] = json } };
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), name, ns,
            fieldManager: ObjectWriter.FieldManager, cancellationToken: ct);
    }

    /// <summary>Every user's journal of <paramref name="cluster"/>, oldest first; empty when none was written.</summary>
    public static IReadOnlyList<AccessJournalEntry> All(V1ConfigMap? journal) =>
        [.. (journal?.Data ?? new Dictionary<string, string>()).SelectMany(kv => AccessJournal.Deserialize(kv.Value))
            .OrderBy(e => e.At).ThenBy(e => e.User, StringComparer.Ordinal)];

    private async Task<bool> CreatedAsync(HipaaMongoResource cluster, string name, string key, string json, CancellationToken ct)
    {
        var map = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = cluster.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { ["app.kubernetes.io/managed-by"] = "hipaa-mongo-operator" },
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = ApiGroup.ApiVersion, Kind = ApiGroup.Kind, Name = cluster.Metadata.Name, Uid = cluster.Metadata.Uid },
                ],
            },
            Data = new Dictionary<string, string> { [key] = json },
        };
        try
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(map, cluster.Metadata.NamespaceProperty, fieldManager: ObjectWriter.FieldManager,
                cancellationToken: ct);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            return false; // another user created it first: patch our key in
        }
    }

    private async Task<V1ConfigMap?> ReadAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
