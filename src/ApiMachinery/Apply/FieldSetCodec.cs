using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>Converts between FieldsV1 JSON and a set of member paths.</summary>
internal static class FieldSetCodec
{
    internal static HashSet<string> Decode(JsonNode? fieldsV1)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (fieldsV1 is JsonObject obj)
        {
            DecodeInto(obj, "", set);
        }

        return set;
    }

    internal static JsonObject Encode(IEnumerable<string> paths)
    {
        var root = new Node();
        foreach (var path in paths)
        {
            var node = root;
            foreach (var element in FieldPath.Split(path))
            {
                node = node.Child(element);
            }

            node.Member = true;
        }

        return root.ToJson();
    }

    private static void DecodeInto(JsonObject obj, string prefix, HashSet<string> set)
    {
        foreach (var (key, value) in obj)
        {
            if (key == ".")
            {
                set.Add(prefix);
                continue;
            }

            var path = FieldPath.Join(prefix, key);
            if (value is JsonObject child && child.Count > 0)
            {
                DecodeInto(child, path, set);
            }
            else
            {
                set.Add(path);
            }
        }
    }

    private sealed class Node
    {
        private readonly SortedDictionary<string, Node> children = new(StringComparer.Ordinal);

        internal bool Member { get; set; }

        internal Node Child(string element)
        {
            if (!children.TryGetValue(element, out var child))
            {
                child = new Node();
                children[element] = child;
            }

            return child;
        }

        internal JsonObject ToJson()
        {
            var obj = new JsonObject();
            if (Member && children.Count > 0)
            {
                obj["."] = new JsonObject();
            }

            foreach (var (key, child) in children)
            {
                obj[key] = child.ToJson();
            }

            return obj;
        }
    }
}
