namespace HipaaMongo.Operator.Baseline.Yaml;

/// <summary>
/// An ordered tree of dotted option paths ("net.tls.mode") to scalar values (bool, int, string),
/// the shape of a mongod YAML config file. Insertion order is output order, so rendering is stable.
/// </summary>
public sealed class ConfTree
{
    private readonly List<KeyValuePair<string, object>> _entries = [];

    public IReadOnlyList<KeyValuePair<string, object>> Entries => _entries;

    /// <summary>Sets a scalar or a nested <see cref="ConfTree"/> at a dotted path, creating sections on the way.</summary>
    public ConfTree Set(string path, object value)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0)
        {
            var at = _entries.FindIndex(e => e.Key == path);
            if (at >= 0)
            {
                _entries[at] = new(path, value);
            }
            else
            {
                _entries.Add(new(path, value));
            }

            return this;
        }

        Section(path[..dot]).Set(path[(dot + 1)..], value);
        return this;
    }

    /// <summary>The value at a dotted path, or null.</summary>
    public object? Get(string path)
    {
        var dot = path.IndexOf('.', StringComparison.Ordinal);
        var key = dot < 0 ? path : path[..dot];
        var found = _entries.FirstOrDefault(e => e.Key == key).Value;
        return dot < 0 ? found : (found as ConfTree)?.Get(path[(dot + 1)..]);
    }

    /// <summary>Every scalar as (dotted path, value), depth first, in output order.</summary>
    public IEnumerable<KeyValuePair<string, object>> Flatten(string prefix = "")
    {
        foreach (var (key, value) in _entries)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (value is ConfTree child)
            {
                foreach (var leaf in child.Flatten(path))
                {
                    yield return leaf;
                }
            }
            else
            {
                yield return new(path, value);
            }
        }
    }

    private ConfTree Section(string key)
    {
        if (Get(key) is ConfTree existing)
        {
            return existing;
        }

        var created = new ConfTree();
        Set(key, created);
        return created;
    }
}
