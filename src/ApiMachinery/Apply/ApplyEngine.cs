using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// Server-side apply in the structured-merge-diff manner: merge the configuration into the live object, report
/// conflicts on fields other managers own with other values, remove what this manager applied before and omits
/// now (unless someone else owns it), then record ownership.
/// </summary>
internal static class ApplyEngine
{
    internal static ApplyResult Run(JsonObject? live, JsonObject applied, string manager, bool force, PatchSchema schema, string timestamp, string? subresource)
    {
        var liveObj = ManagedFields.WithoutManagedFields(live) ?? [];
        var config = ManagedFields.WithoutManagedFields(applied)!;
        var entries = ManagedFieldsEntry.Read(live);
        var newSet = FieldWalker.ApplySet(config, schema);
        var merged = (JsonObject)ApplyMerge.Merge(liveObj, config, schema)!;

        var conflicts = FindConflicts(entries, newSet, liveObj, merged, manager, subresource, schema);
        if (conflicts.Count > 0 && !force)
        {
            return new ApplyResult((JsonObject)(live?.DeepClone() ?? new JsonObject()), conflicts.Select(c => (ApplyConflict)c).ToArray());
        }

        foreach (var (entry, path) in conflicts.Select(c => (entries.First(e => e.Identity == c.Manager), c.Path)))
        {
            entry.Fields.Remove(path); // force: ownership moves to the applier
        }

        var mine = entries.FirstOrDefault(e => e.Is(manager, "Apply", subresource));
        RemoveDropped(merged, mine?.Fields ?? [], newSet, entries.Where(e => e != mine), schema);
        foreach (var other in entries.Where(e => e != mine))
        {
            other.Fields.RemoveWhere(p => !FieldWalker.TryGet(merged, p, schema, out _));
        }

        var changed = !Json.DeepEquals(liveObj, merged) || mine is null || !mine.Fields.SetEquals(newSet);
        if (mine is null)
        {
            mine = new ManagedFieldsEntry { Manager = manager, Operation = "Apply", Subresource = subresource };
            entries.Add(mine);
        }

        mine.Fields = newSet;
        mine.ApiVersion = Json.AsString(config["apiVersion"]) ?? mine.ApiVersion;
        if (changed)
        {
            mine.Time = timestamp; // a no-op apply keeps the old time so the object stays byte-identical
        }

        ManagedFieldsEntry.Write(merged, entries);
        return new ApplyResult(merged, []);
    }

    private static List<InternalConflict> FindConflicts(
        List<ManagedFieldsEntry> entries,
        HashSet<string> newSet,
        JsonObject live,
        JsonObject merged,
        string manager,
        string? subresource,
        PatchSchema schema)
    {
        // Only leaves are compared: a list item's own path changes whenever any of its children does.
        var leaves = newSet.Where(p => !newSet.Any(q => FieldPath.IsPrefixOf(p, q))).ToList();
        var conflicts = new List<InternalConflict>();
        foreach (var entry in entries.Where(e => !e.Is(manager, "Apply", subresource)))
        {
            foreach (var path in leaves.Where(entry.Fields.Contains))
            {
                FieldWalker.TryGet(live, path, schema, out var before);
                FieldWalker.TryGet(merged, path, schema, out var after);
                if (!Json.DeepEquals(before, after))
                {
                    conflicts.Add(new InternalConflict(entry.Identity, path));
                }
            }
        }

        return conflicts;
    }

    private static void RemoveDropped(JsonObject merged, HashSet<string> oldSet, HashSet<string> newSet, IEnumerable<ManagedFieldsEntry> others, PatchSchema schema)
    {
        var owned = others.SelectMany(e => e.Fields).ToHashSet(StringComparer.Ordinal);
        var dropped = oldSet.Where(p => !newSet.Contains(p) && !owned.Contains(p) && !owned.Any(o => FieldPath.IsPrefixOf(p, o))).ToList();

        // Remove only the outermost paths: removing a list item's key field first would make the item unfindable.
        foreach (var path in dropped.Where(p => !dropped.Any(d => FieldPath.IsPrefixOf(d, p))))
        {
            FieldWalker.Remove(merged, path, schema);
        }
    }

    private sealed record InternalConflict(ManagerIdentity Manager, string Path)
    {
        public static implicit operator ApplyConflict(InternalConflict c) => new(c.Manager, FieldPath.Print(c.Path));
    }
}
