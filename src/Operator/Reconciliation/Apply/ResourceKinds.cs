using System.Reflection;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>Group, version and plural of one object, the path parts the generic object API needs.</summary>
public sealed record ResourcePath(string Group, string Version, string Plural);

/// <summary>
/// Maps a desired object to its REST path. Typed models carry [KubernetesEntity]; cert-manager objects
/// are unstructured, so their two kinds are listed here.
/// </summary>
public static class ResourceKinds
{
    private static readonly Dictionary<string, string> CertManagerPlurals = new(StringComparer.Ordinal)
    {
        ["Certificate"] = "certificates",
        ["Issuer"] = "issuers",
    };

    public static ResourcePath Of(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var (group, version) = SplitApiVersion(obj.ApiVersion);
        var attr = obj.GetType().GetCustomAttribute<KubernetesEntityAttribute>();
        if (attr is { PluralName.Length: > 0 })
        {
            return new ResourcePath(group, version, attr.PluralName);
        }
        return CertManagerPlurals.TryGetValue(obj.Kind, out var plural)
            ? new ResourcePath(group, version, plural)
            : throw new InvalidOperationException($"no REST resource known for kind {obj.Kind}");
    }

    private static (string Group, string Version) SplitApiVersion(string apiVersion)
    {
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
    }
}
