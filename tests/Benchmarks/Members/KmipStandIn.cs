using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>
/// The Secrets the minimal sample names for KMIP (a server CA per namespace, a client certificate per set), made
/// as scripts/run-local.sh makes them with openssl: no KMIP server runs, the simulator only parses the options.
/// One CA for the whole run (ECDSA P-256: cheap to make a hundred leaves).
/// </summary>
public sealed class KmipStandIn : IDisposable
{
    readonly ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    readonly X509Certificate2 ca;
    int serial;

    public KmipStandIn()
    {
        var request = new CertificateRequest("CN=stand-in KMIP CA", caKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = DateTimeOffset.UtcNow;
        ca = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));
    }

    public static string ClientSecretName(string set) => set + "-kmip-client";

    public Task CreateServerCaAsync(IKubernetes client, string ns, CancellationToken ct) =>
        client.CoreV1.CreateNamespacedSecretAsync(Secret("kmip-server-ca", ns, "Opaque", new() { ["ca.crt"] = ca.ExportCertificatePem() }),
            ns, cancellationToken: ct);

    public async Task CreateClientAsync(IKubernetes client, string ns, string set, CancellationToken ct)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={set}-kmip-client, OU=kmip-client", key, HashAlgorithmName.SHA256);
        // Within the CA's validity, which .NET enforces to the second.
        using var leaf = request.Create(ca, ca.NotBefore, ca.NotAfter.AddDays(-1), BitConverter.GetBytes(Interlocked.Increment(ref serial)));
        await client.CoreV1.CreateNamespacedSecretAsync(Secret(ClientSecretName(set), ns, "kubernetes.io/tls", new()
        {
            ["tls.crt"] = leaf.ExportCertificatePem(),
            ["tls.key"] = key.ExportPkcs8PrivateKeyPem(),
            ["ca.crt"] = ca.ExportCertificatePem(),
        }), ns, cancellationToken: ct);
    }

    public void Dispose()
    {
        ca.Dispose();
        caKey.Dispose();
    }

    static V1Secret Secret(string name, string ns, string type, Dictionary<string, string> data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Type = type,
        StringData = data,
    };
}
