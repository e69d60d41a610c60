using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Identity;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.TestIdentities;

/// <summary>
/// For tests and benchmarks that act as the operator or the verifier on a simulated cluster: the identity obtained
/// the way the operator obtains it (a cert-manager CertificateRequest over a key made in this process, the CA from the
/// request's status), not from a Secret cert-manager wrote. Same subject, so the same mongod user; its own key and
/// request (purpose "test"), so the operator's identities are untouched.
/// </summary>
public static class RequestedIdentity
{
    /// <summary>The certificate with its key (the caller disposes it), its PEMs, and the CA PEM that issued it.</summary>
    public sealed record Issued(X509Certificate2 Certificate, string CertificatePem, string KeyPem, string CaPem);

    public static async Task<Issued> ForAsync(IKubernetes client, string ns, string name, ClientRole role, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var body = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(ApiGroup.Group, ApiGroup.Version, ns, ApiGroup.Plural, name,
            cancellationToken: ct);
        var resource = KubernetesJson.Deserialize<HipaaMongoResource>(body.GetRawText());
        var (operatorSpec, verifierSpec) = ClientIdentitySpec.For(resource);
        var spec = (role == ClientRole.Operator ? operatorSpec : verifierSpec) with { Purpose = "test" };
        var identities = new CertificateRequestIdentities(client, TimeProvider.System, NullLogger<CertificateRequestIdentities>.Instance);
        while (true)
        {
            var result = await identities.GetAsync(spec, ct);
            if (result.Certificate is { } cert)
            {
                using var key = cert.GetECDsaPrivateKey()!;
                return new Issued(cert, cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem(), result.CaPem!);
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct); // the CA Issuer is not Ready yet, or the request waits
        }
    }
}
