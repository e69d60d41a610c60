using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>Server-side apply (structured-merge-diff semantics) over JSON objects.</summary>
public static class ServerSideApply
{
    /// <summary>
    /// Applies <paramref name="applied"/> for <paramref name="manager"/> onto <paramref name="live"/> (null: create).
    /// Returns the merged object with <c>metadata.managedFields</c> updated, or the conflicts (then Merged is the
    /// unchanged live object). Inputs are not modified. <paramref name="timestamp"/> is RFC 3339 (<c>2024-01-01T00:00:00Z</c>).
    /// <paramref name="subresource"/> is "status" for applies to /status. <paramref name="resetFields"/> names top-level
    /// fields the endpoint ignores (kube's ResetFieldsStrategy): <c>["status"]</c> on the main resource of a kind with a
    /// status subresource, <c>["spec"]</c> on /status; they are neither merged nor owned.
    /// </summary>
    public static ApplyResult Apply(
        JsonObject? live,
        JsonObject applied,
        string manager,
        bool force,
        PatchSchema schema,
        string timestamp,
        string? subresource = null,
        IReadOnlyCollection<string>? resetFields = null)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(schema);
        var config = applied;
        if (resetFields is { Count: > 0 })
        {
            config = (JsonObject)applied.DeepClone();
            foreach (var field in resetFields)
            {
                config.Remove(field);
            }
        }

        return ApplyEngine.Run(live, config, manager, force, schema, timestamp, subresource);
    }
}
