using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Baseline;

/// <summary>Every object the baseline wants for one HipaaMongo, in apply order.</summary>
public sealed record DesiredState(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects)
{
    public IEnumerable<T> OfType<T>() => Objects.OfType<T>();

    /// <summary>The single object of a kind and name; throws when absent (for callers that know it exists).</summary>
    public IKubernetesObject<V1ObjectMeta> Get(string kind, string name) =>
        Objects.First(o => o.Kind == kind && o.Metadata.Name == name);
}
