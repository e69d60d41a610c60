using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>
/// Reads and writes any owned object through the generic object API (which serves built-in kinds at
/// /api/v1 and groups at /apis), so typed and unstructured (cert-manager) objects take one path.
/// Every write names one field manager.
/// </summary>
public sealed class ObjectWriter(IKubernetes client)
{
    public const string FieldManager = "hipaa-mongo-operator";

    /// <summary>The live object, or null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(ResourcePath path, string @namespace, string name, CancellationToken ct)
    {
        try
        {
            var live = await client.CustomObjects.GetNamespacedCustomObjectAsync(path.Group, path.Version, @namespace,
                path.Plural, name, ct);
            return ToJson(live);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// Creates the object and returns it as stored; when it already exists (a stale cache), applies it instead and
    /// returns null (the stored object then holds other managers' fields as well).
    /// </summary>
    public async Task<JsonObject?> CreateAsync(ResourcePath path, JsonObject desired, CancellationToken ct)
    {
        var (ns, _) = Identity(desired);
        try
        {
            return ToJson(await client.CustomObjects.CreateNamespacedCustomObjectAsync(desired, path.Group, path.Version, ns, path.Plural,
                fieldManager: FieldManager, cancellationToken: ct));
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            await ApplyAsync(path, desired, ct);
            return null;
        }
    }

    /// <summary>
    /// What the API server would store if <paramref name="desired"/> replaced the live object: a PUT with
    /// dryRun=All and our field manager, so defaulting, validation and mutating admission all run and nothing is
    /// persisted. A dry-run server-side apply would not do: it keeps the fields other managers own, which is the drift.
    /// </summary>
    public async Task<JsonObject> DryRunReplaceAsync(ResourcePath path, JsonObject desired, string? resourceVersion, CancellationToken ct)
    {
        var (ns, name) = Identity(desired);
        var body = desired.DeepClone().AsObject();
        body["metadata"]!["resourceVersion"] = resourceVersion;
        return ToJson(await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(body, path.Group, path.Version, ns, path.Plural, name,
            dryRun: "All", fieldManager: FieldManager, cancellationToken: ct))
            ?? throw new InvalidOperationException($"the dry-run of {path.Plural} {ns}/{name} returned no object");
    }

    /// <summary>Server-side apply with force: restores every field we own, leaves other managers' fields.</summary>
    public async Task ApplyAsync(ResourcePath path, JsonObject desired, CancellationToken ct)
    {
        var (ns, name) = Identity(desired);
        var patch = new V1Patch(desired.ToJsonString(), V1Patch.PatchType.ApplyPatch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, path.Group, path.Version, ns, path.Plural, name,
            fieldManager: FieldManager, force: true, cancellationToken: ct);
    }

    /// <summary>A JSON merge patch of a few fields (the scale step lowering a StatefulSet's replicas).</summary>
    public async Task MergePatchAsync(ResourcePath path, string @namespace, string name, JsonObject patch, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(patch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            path.Group, path.Version, @namespace, path.Plural, name, fieldManager: FieldManager, cancellationToken: ct);
    }

    /// <summary>
    /// Deletes the object only if it is still the one with <paramref name="uid"/> (a precondition, so an object
    /// created again under the same name in between is never deleted). False when it is already gone or was replaced.
    /// </summary>
    public async Task<bool> DeleteAsync(ResourcePath path, string @namespace, string name, string? uid, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(path.Group, path.Version, @namespace, path.Plural, name,
                new V1DeleteOptions { Preconditions = uid is null ? null : new V1Preconditions { Uid = uid } }, cancellationToken: ct);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the desired object over the live one (PUT with the live resourceVersion), which removes what
    /// others added beside our fields; a concurrent change gives 409 and the reconcile is retried. When the
    /// cache still held an object that was deleted since, the PUT answers 404: the object is created instead.
    /// Returns the object as stored.
    /// </summary>
    public async Task<JsonObject?> ReplaceAsync(ResourcePath path, JsonObject desired, string? resourceVersion, CancellationToken ct)
    {
        var (ns, name) = Identity(desired);
        var body = desired.DeepClone().AsObject();
        body["metadata"]!["resourceVersion"] = resourceVersion;
        try
        {
            return ToJson(await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(body, path.Group, path.Version, ns, path.Plural, name,
                fieldManager: FieldManager, cancellationToken: ct));
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return await CreateAsync(path, desired, ct);
        }
    }

    private static (string Namespace, string Name) Identity(JsonObject obj) => (
        obj["metadata"]?["namespace"]?.GetValue<string>() ?? throw new ArgumentException("object has no namespace", nameof(obj)),
        obj["metadata"]?["name"]?.GetValue<string>() ?? throw new ArgumentException("object has no name", nameof(obj)));

    private static JsonObject? ToJson(object? body) => body switch
    {
        null => null,
        JsonElement element => JsonNode.Parse(element.GetRawText())?.AsObject(),
        JsonNode node => node.AsObject(),
        _ => JsonNode.Parse(KubernetesJson.Serialize(body))?.AsObject(),
    };
}
