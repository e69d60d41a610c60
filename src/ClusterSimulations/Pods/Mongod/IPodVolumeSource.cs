using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>Where the kubelet reads ConfigMap and Secret volume contents from; null when the object does not exist.</summary>
public interface IPodVolumeSource
{
    Task<IReadOnlyDictionary<string, byte[]>?> ConfigMapAsync(string ns, string name, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, byte[]>?> SecretAsync(string ns, string name, CancellationToken cancellationToken);
}

/// <summary>Reads volume contents from the Kubernetes API, as the kubelet does.</summary>
public sealed class KubernetesVolumeSource(IKubernetes client) : IPodVolumeSource
{
    public async Task<IReadOnlyDictionary<string, byte[]>?> ConfigMapAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var map = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedConfigMapAsync(name, ns, cancellationToken: cancellationToken));
        if (map is null)
        {
            return null;
        }
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (k, v) in map.Data ?? new Dictionary<string, string>())
        {
            data[k] = System.Text.Encoding.UTF8.GetBytes(v);
        }
        foreach (var (k, v) in map.BinaryData ?? new Dictionary<string, byte[]>())
        {
            data[k] = v;
        }
        return data;
    }

    public async Task<IReadOnlyDictionary<string, byte[]>?> SecretAsync(string ns, string name, CancellationToken cancellationToken)
    {
        V1Secret? secret = await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: cancellationToken));
        return secret is null ? null : new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>(), StringComparer.Ordinal);
    }
}
