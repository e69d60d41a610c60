using HipaaMongo.LocalCluster.Api;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>A resource request parsed from its path (apiserver endpoints/request/requestinfo.go, simplified).</summary>
public sealed record RequestInfo(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Parses /api/v1/... and /apis/g/v/...; null when the path is not a resource path.</summary>
    public static RequestInfo? Parse(string path, TypeRegistry registry, out bool knownGroupVersion)
    {
        knownGroupVersion = false;
        var segs = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        int i;
        if (segs.Length >= 3 && segs[0] == "api" && segs[1] == "v1")
        {
            (group, version, i) = ("", "v1", 2);
        }
        else if (segs.Length >= 4 && segs[0] == "apis")
        {
            (group, version, i) = (segs[1], segs[2], 3);
        }
        else
        {
            return null;
        }
        var all = registry.All;
        knownGroupVersion = all.Any(t => t.Group == group && t.Version == version);
        var rest = segs[i..];
        ResourceType? Find(string plural) => all.FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
        if (rest.Length >= 3 && rest[0] == "namespaces" && Find(rest[2]) is { Namespaced: true } nsType)
        {
            return rest.Length > 5 ? null : new RequestInfo(nsType, rest[1], rest.ElementAtOrDefault(3), rest.ElementAtOrDefault(4));
        }
        if (Find(rest[0]) is not { } type || rest.Length > 3)
        {
            return null;
        }
        return new RequestInfo(type, null, rest.ElementAtOrDefault(1), rest.ElementAtOrDefault(2));
    }
}
