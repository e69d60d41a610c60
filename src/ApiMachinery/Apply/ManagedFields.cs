using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>managedFields bookkeeping for ordinary writes (create, update, patch).</summary>
public static class ManagedFields
{
    /// <summary>
    /// Returns a copy of <paramref name="after"/> whose <c>metadata.managedFields</c> records <paramref name="manager"/>
    /// (operation Update) as owner of every field the write added or changed relative to <paramref name="before"/>
    /// (null: create), takes those fields away from other managers, and forgets fields the write removed.
    /// The existing entries are read from <paramref name="before"/> (whatever managedFields <paramref name="after"/>
    /// carries is ignored). <paramref name="apiVersion"/> defaults to after's apiVersion.
    /// </summary>
    public static JsonObject RecordUpdate(
        JsonObject? before,
        JsonObject after,
        string manager,
        string timestamp,
        PatchSchema schema,
        string? subresource = null,
        string? apiVersion = null)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(schema);
        var result = (JsonObject)after.DeepClone();
        var entries = ManagedFieldsEntry.Read(before);
        var changed = FieldWalker.ChangedSet(WithoutManagedFields(before), WithoutManagedFields(result)!, schema);
        foreach (var entry in entries)
        {
            entry.Fields.ExceptWith(changed);
            entry.Fields.RemoveWhere(p => !FieldWalker.TryGet(result, p, schema, out _));
        }

        if (changed.Count > 0)
        {
            var mine = entries.FirstOrDefault(e => e.Is(manager, "Update", subresource));
            if (mine is null)
            {
                mine = new ManagedFieldsEntry { Manager = manager, Operation = "Update", Subresource = subresource };
                entries.Add(mine);
            }

            mine.Fields.UnionWith(changed);
            mine.Time = timestamp;
            mine.ApiVersion = apiVersion ?? Json.AsString(result["apiVersion"]);
        }

        ManagedFieldsEntry.Write(result, entries);
        return result;
    }

    internal static JsonObject? WithoutManagedFields(JsonObject? obj)
    {
        if (obj is null)
        {
            return null;
        }

        var copy = (JsonObject)obj.DeepClone();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }
}
