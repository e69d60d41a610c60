using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HipaaMongo.Operator.Baseline;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.KeyManagement;

/// <summary>
/// Reads the KMIP server CA Secret and the members' KMIP client Secret (tls.crt, tls.key: the one the spec names, or
/// the one cert-manager issues for it). Reads only (get); logs nothing of them; a Secret that does not load is named,
/// never quoted.
/// </summary>
public sealed class KmipCredentialsLoader(IKubernetes client)
{
    public async Task<(KmipProbeCredentials? Credentials, string? Missing)> LoadAsync(string @namespace, string name, KmipModel kmip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(kmip);
        var caSecret = await ReadAsync(@namespace, kmip.ServerCaSecret, ct);
        var clientName = kmip.ClientSecret ?? Names.KmipClientSecret(name);
        var clientSecret = await ReadAsync(@namespace, clientName, ct);
        if (Text(caSecret, kmip.ServerCaKey) is not { } caPem)
        {
            return (null, $"Secret {kmip.ServerCaSecret} has no {kmip.ServerCaKey}");
        }
        if (Text(clientSecret, "tls.crt") is not { } crt || Text(clientSecret, "tls.key") is not { } key)
        {
            return (null, $"Secret {clientName} has no tls.crt and tls.key");
        }
        try
        {
            var cas = new X509Certificate2Collection();
            cas.ImportFromPem(caPem);
            // The leaf first: tls.crt may carry the chain after it.
            return (new KmipProbeCredentials(X509Certificate2.CreateFromPem(crt, key), cas), null);
        }
        catch (CryptographicException)
        {
            return (null, $"Secret {kmip.ServerCaSecret} or {clientName} does not hold a usable PEM certificate and key");
        }
    }

    private static string? Text(V1Secret? secret, string key) =>
        secret?.Data?.TryGetValue(key, out var bytes) == true && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;

    private async Task<V1Secret?> ReadAsync(string @namespace, string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, @namespace, cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
