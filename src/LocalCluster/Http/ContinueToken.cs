using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>
/// A list continue token as kube-apiserver makes it (apiserver/pkg/storage/continue.go): base64url (no padding) of
/// {"v":"meta.k8s.io/v1","rv":&lt;list resourceVersion, -1 for an inconsistent continuation&gt;,"start":"&lt;key&gt;\u0000"},
/// where the key is "namespace/name" (cluster-scoped: "name") relative to the resource's prefix. Opaque to clients.
/// </summary>
public sealed record ContinueToken(long ResourceVersion, string Namespace, string Name)
{
    const string Version = "meta.k8s.io/v1";

    public string Encode()
    {
        var start = (Namespace.Length == 0 ? Name : $"{Namespace}/{Name}") + "\0";
        var json = new JsonObject { ["v"] = Version, ["rv"] = ResourceVersion, ["start"] = start }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Decodes or throws 400 `invalid continue token: continue key is not valid…` (etcd3 store GetList).</summary>
    public static ContinueToken Decode(string token, bool namespaced)
    {
        JsonObject? c;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - (base64.Length % 4)) % 4);
            c = JsonNode.Parse(Convert.FromBase64String(base64)) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw Invalid($"continue key is not valid: {e.Message}");
        }
        if (c is null || Semantics.Meta.Str(c["v"]) != Version)
        {
            throw Invalid($"continue key is not valid server does not recognize this encoded version \"{Semantics.Meta.Str(c?["v"])}\"");
        }
        var rv = Semantics.Meta.Long(c["rv"]) ?? 0;
        if (rv == 0)
        {
            throw Invalid("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
        var start = (Semantics.Meta.Str(c["start"]) ?? "").TrimEnd('\0');
        if (start.Length == 0)
        {
            throw Invalid("continue key is not valid: encoded start key empty (version meta.k8s.io/v1)");
        }
        var slash = start.IndexOf('/', StringComparison.Ordinal);
        if (start.Contains("..", StringComparison.Ordinal) || (slash >= 0) != namespaced)
        {
            throw Invalid($"continue key is not valid: {start}");
        }
        return slash < 0 ? new ContinueToken(rv, "", start) : new ContinueToken(rv, start[..slash], start[(slash + 1)..]);
    }

    static StatusException Invalid(string detail) => StatusException.BadRequest($"invalid continue token: {detail}");

    /// <summary>True when (ns, name) sorts after this token's start key (the order lists are served in).</summary>
    public bool IsAfter(string ns, string name)
    {
        var byNamespace = string.CompareOrdinal(ns, Namespace);
        return byNamespace > 0 || (byNamespace == 0 && string.CompareOrdinal(name, Name) > 0);
    }
}
