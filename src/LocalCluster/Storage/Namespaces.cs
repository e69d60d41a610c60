using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Storage;

/// <summary>
/// One kind's objects: namespace ("" for cluster-scoped) → name → object, both sorted ordinally. Immutable, so
/// a reader keeps a consistent snapshot while writers swap in new versions.
/// </summary>
public sealed class Namespaces
{
    static readonly ImmutableSortedDictionary<string, JsonObject> NoNames = ImmutableSortedDictionary.Create<string, JsonObject>(StringComparer.Ordinal);

    readonly ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, JsonObject>> byNamespace;

    Namespaces(ImmutableSortedDictionary<string, ImmutableSortedDictionary<string, JsonObject>> byNamespace) =>
        this.byNamespace = byNamespace;

    public static Namespaces Empty { get; } =
        new(ImmutableSortedDictionary.Create<string, ImmutableSortedDictionary<string, JsonObject>>(StringComparer.Ordinal));

    public JsonObject? Get(string? ns, string name) =>
        byNamespace.TryGetValue(ns ?? "", out var names) ? names.GetValueOrDefault(name) : null;

    public Namespaces With(string? ns, string name, JsonObject obj)
    {
        var names = byNamespace.GetValueOrDefault(ns ?? "") ?? NoNames;
        return new(byNamespace.SetItem(ns ?? "", names.SetItem(name, obj)));
    }

    public Namespaces Without(string? ns, string name)
    {
        if (!byNamespace.TryGetValue(ns ?? "", out var names) || !names.ContainsKey(name))
        {
            return this;
        }
        var rest = names.Remove(name);
        return new(rest.IsEmpty ? byNamespace.Remove(ns ?? "") : byNamespace.SetItem(ns ?? "", rest));
    }

    /// <summary>Objects of one namespace (null: all), in (namespace, name) order.</summary>
    public IEnumerable<JsonObject> Objects(string? ns) => Entries(ns).Select(e => e.Object);

    /// <summary>Like <see cref="Objects"/>, with each object's namespace ("" when cluster-scoped) and name.</summary>
    public IEnumerable<(string Namespace, string Name, JsonObject Object)> Entries(string? ns)
    {
        if (ns is not null)
        {
            return byNamespace.TryGetValue(ns, out var names) ? names.Select(n => (ns, n.Key, n.Value)) : [];
        }
        return byNamespace.SelectMany(b => b.Value.Select(n => (b.Key, n.Key, n.Value)));
    }
}
