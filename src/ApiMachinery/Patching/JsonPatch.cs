using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>RFC 6902 JSON Patch (what kube-apiserver serves for <c>application/json-patch+json</c>).</summary>
public static class JsonPatch
{
    /// <summary>
    /// Applies <paramref name="ops"/> in order to a copy of <paramref name="doc"/> and returns the result;
    /// the input is never modified. Any failure throws <see cref="PatchException"/> (a failed
    /// <c>test</c> has <see cref="PatchException.IsTestFailure"/> set) and no partial result escapes.
    /// </summary>
    public static JsonNode? Apply(JsonNode? doc, JsonArray ops)
    {
        ArgumentNullException.ThrowIfNull(ops);
        var root = new JsonArray(Json.Clone(doc)); // a holder so the root itself can be replaced
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i] is not JsonObject op)
            {
                throw new PatchException($"invalid JSON patch: operation {i} is not an object") { IsMalformed = true };
            }

            ApplyOne(root, op);
        }

        var result = root[0];
        root.Clear(); // detach so the caller may insert the result elsewhere
        return result;
    }

    private static void ApplyOne(JsonArray holder, JsonObject op)
    {
        var name = Json.AsString(op["op"]) ?? throw new PatchException("invalid JSON patch: operation has no \"op\"") { IsMalformed = true };
        var path = RequiredPointer(op, "path", name);
        switch (name)
        {
            case "add":
                Add(holder, path, RequiredValue(op, name));
                break;
            case "remove":
                Remove(holder, path);
                break;
            case "replace":
                Remove(holder, path);
                Add(holder, path, RequiredValue(op, name));
                break;
            case "move":
                Move(holder, RequiredPointer(op, "from", name), path);
                break;
            case "copy":
                Add(holder, path, Json.Clone(Get(holder, RequiredPointer(op, "from", name))));
                break;
            case "test":
                Test(holder, path, RequiredValue(op, name));
                break;
            default:
                throw new PatchException($"invalid JSON patch: unknown operation \"{name}\"") { IsMalformed = true };
        }
    }

    private static string[] RequiredPointer(JsonObject op, string member, string name)
    {
        var text = Json.AsString(op[member])
            ?? throw new PatchException($"invalid JSON patch: \"{name}\" operation is missing \"{member}\"") { IsMalformed = true };
        return ["", .. JsonPointer.Parse(text)];
    }

    private static JsonNode? RequiredValue(JsonObject op, string name) =>
        op.TryGetPropertyValue("value", out var value)
            ? Json.Clone(value)
            : throw new PatchException($"invalid JSON patch: \"{name}\" operation is missing \"value\"") { IsMalformed = true };

    private static JsonNode? Get(JsonArray holder, string[] path) =>
        JsonPointer.TryGet(holder, ToHolderTokens(path), out var value)
            ? value
            : throw new PatchException($"doc is missing path: \"{Display(path)}\"");

    private static void Move(JsonArray holder, string[] from, string[] path)
    {
        if (path.Length > from.Length && path.Take(from.Length).SequenceEqual(from))
        {
            throw new PatchException($"invalid JSON patch: cannot move \"{Display(from)}\" into its own child \"{Display(path)}\"");
        }

        var value = Get(holder, from);
        Remove(holder, from);
        Add(holder, path, value);
    }

    private static void Test(JsonArray holder, string[] path, JsonNode? expected)
    {
        var actual = Get(holder, path);
        if (!Json.DeepEquals(actual, expected))
        {
            throw new PatchException($"testing value {Display(path)} failed: test failed") { IsTestFailure = true };
        }
    }

    private static void Add(JsonArray holder, string[] path, JsonNode? value)
    {
        var (parent, last) = Parent(holder, path);
        switch (parent)
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray arr when last == "-":
                arr.Add(value);
                break;
            case JsonArray arr when JsonPointer.TryIndex(last, arr.Count + 1, out var index):
                arr.Insert(index, value);
                break;
            case JsonArray:
                throw new PatchException($"add operation does not apply: index \"{last}\" is out of bounds at \"{Display(path)}\"");
            default:
                throw new PatchException($"add operation does not apply: doc is missing path: \"{Display(path)}\"");
        }
    }

    private static void Remove(JsonArray holder, string[] path)
    {
        var (parent, last) = Parent(holder, path);
        switch (parent)
        {
            case JsonObject obj when obj.ContainsKey(last):
                obj.Remove(last);
                break;
            case JsonArray arr when JsonPointer.TryIndex(last, arr.Count, out var index):
                arr.RemoveAt(index);
                break;
            default:
                throw new PatchException($"unable to remove nonexistent key: {Display(path)}: missing value");
        }
    }

    private static (JsonNode? Parent, string Last) Parent(JsonArray holder, string[] path)
    {
        var tokens = ToHolderTokens(path);
        var parentTokens = tokens.Take(tokens.Count - 1).ToArray();
        if (!JsonPointer.TryGet(holder, parentTokens, out var parent))
        {
            throw new PatchException($"doc is missing path: \"{Display(path)}\"");
        }

        return (parent, tokens[^1]);
    }

    // The holder is an array whose element 0 is the document, so "/a" becomes ["0", "a"].
    private static List<string> ToHolderTokens(string[] path) => ["0", .. path.Skip(1)];

    private static string Display(string[] path) => JsonPointer.Format(path.Skip(1));
}
