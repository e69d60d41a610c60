using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// The Secrets the minimal sample names for KMIP (a server CA and a client certificate), made here as
/// scripts/run-local.sh makes them with openssl: no KMIP server runs, the simulator only parses the options.
/// </summary>
internal static class KmipStandIn
{
    public static async Task CreateSecretsAsync(IKubernetes client, string ns, string name, CancellationToken ct)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=stand-in KMIP CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientRequest = new CertificateRequest($"CN={name}-kmip-client, OU=kmip-client", clientKey, HashAlgorithmName.SHA256);
        using var clientCert = clientRequest.Create(ca, now.AddMinutes(-5), now.AddDays(30), [1, 2, 3, 4]);
        var caPem = ca.ExportCertificatePem();
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("kmip-server-ca", ns, "Opaque",
            new() { ["ca.crt"] = caPem }), ns, cancellationToken: ct);
        await client.CoreV1.CreateNamespacedSecretAsync(Secret($"{name}-kmip-client", ns, "kubernetes.io/tls", new()
        {
            ["tls.crt"] = clientCert.ExportCertificatePem(),
            ["tls.key"] = clientKey.ExportPkcs8PrivateKeyPem(),
            ["ca.crt"] = caPem,
        }), ns, cancellationToken: ct);
    }

    private static V1Secret Secret(string name, string ns, string type, Dictionary<string, string> data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Type = type,
        StringData = data,
    };
}
