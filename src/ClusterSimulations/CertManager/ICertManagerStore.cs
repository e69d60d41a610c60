using k8s.Models;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// The reads and writes the cert-manager simulation makes, so its reconcilers run against any API
/// (<see cref="KubernetesCertManagerStore"/>) or an in-memory fake in tests. Gets return null for 404.
/// Writes carry the object's resourceVersion, so a stale write fails with a conflict and is retried.
/// </summary>
public interface ICertManagerStore
{
    Task<Certificate?> GetCertificateAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>An Issuer (kind "Issuer", in <paramref name="namespace"/>) or a ClusterIssuer (kind "ClusterIssuer").</summary>
    Task<IssuerBase?> GetIssuerAsync(string kind, string? @namespace, string name, CancellationToken cancellationToken);

    Task<V1Secret?> GetSecretAsync(string @namespace, string name, CancellationToken cancellationToken);

    /// <summary>Creates the Secret when it has no resourceVersion, else replaces it.</summary>
    Task WriteSecretAsync(V1Secret secret, CancellationToken cancellationToken);

    Task UpdateCertificateStatusAsync(Certificate certificate, CancellationToken cancellationToken);

    Task UpdateIssuerStatusAsync(IssuerBase issuer, CancellationToken cancellationToken);
}
