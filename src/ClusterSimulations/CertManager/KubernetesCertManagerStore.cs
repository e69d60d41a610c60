using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary><see cref="ICertManagerStore"/> over any Kubernetes API through KubernetesClient.</summary>
public sealed class KubernetesCertManagerStore(IKubernetes client) : ICertManagerStore
{
    private const string G = CertManagerApi.Group;
    private const string V = CertManagerApi.Version;

    public Task<Certificate?> GetCertificateAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        OrNull(async () => (await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<Certificate>(
            G, V, @namespace, "certificates", name, cancellationToken: cancellationToken)).Body);

    public async Task<IssuerBase?> GetIssuerAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken) =>
        kind == "ClusterIssuer"
            ? await OrNull(async () => (await client.CustomObjects.GetClusterCustomObjectWithHttpMessagesAsync<ClusterIssuer>(
                G, V, "clusterissuers", name, cancellationToken: cancellationToken)).Body)
            : await OrNull(async () => (await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<Issuer>(
                G, V, @namespace ?? "", "issuers", name, cancellationToken: cancellationToken)).Body);

    public Task<V1Secret?> GetSecretAsync(string @namespace, string name, CancellationToken cancellationToken) =>
        OrNull(() => client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: cancellationToken));

    public async Task WriteSecretAsync(V1Secret secret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var ns = secret.Metadata.NamespaceProperty;
        if (string.IsNullOrEmpty(secret.Metadata.ResourceVersion))
        {
            await client.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken);
        }
        else
        {
            await client.CoreV1.ReplaceNamespacedSecretAsync(secret, secret.Metadata.Name, ns, cancellationToken: cancellationToken);
        }
    }

    public async Task UpdateCertificateStatusAsync(Certificate certificate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var _ = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<object>(certificate, G, V,
            certificate.Metadata.NamespaceProperty, "certificates", certificate.Metadata.Name, cancellationToken: cancellationToken);
    }

    public async Task UpdateIssuerStatusAsync(IssuerBase issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (issuer is ClusterIssuer)
        {
            using var c = await client.CustomObjects.ReplaceClusterCustomObjectStatusWithHttpMessagesAsync<object>(issuer, G, V,
                "clusterissuers", issuer.Metadata.Name, cancellationToken: cancellationToken);
        }
        else
        {
            using var n = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<object>(issuer, G, V,
                issuer.Metadata.NamespaceProperty, "issuers", issuer.Metadata.Name, cancellationToken: cancellationToken);
        }
    }

    private static async Task<T?> OrNull<T>(Func<Task<T>> get)
        where T : class
    {
        try
        {
            return await get();
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
