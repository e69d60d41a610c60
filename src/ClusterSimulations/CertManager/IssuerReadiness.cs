namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>An issuer's Ready condition as cert-manager's issuer controllers set it, and what it signs with.</summary>
public sealed record IssuerState(bool Ready, string Reason, string Message, IssuerCredentials? Credentials);

/// <summary>Pure: an Issuer/ClusterIssuer spec plus its CA secret's data become its readiness and credentials.</summary>
public static class IssuerReadiness
{
    /// <summary>Evaluates <paramref name="issuer"/>; <paramref name="caSecretData"/> is null when the CA secret is missing.</summary>
    public static IssuerState Evaluate(IssuerBase issuer, IReadOnlyDictionary<string, byte[]>? caSecretData)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        var name = issuer.Metadata.Name ?? "";
        if (issuer.Spec.SelfSigned is not null)
        {
            return new(true, "IsReady", "", IssuerCredentials.SelfSigned(name, issuer.Kind));
        }
        if (issuer.Spec.CA is { } ca)
        {
            if (caSecretData is null)
            {
                return new(false, "ErrGetKeyPair", $"Error getting keypair for CA issuer: secret \"{ca.SecretName}\" not found", null);
            }
            var crt = Text(caSecretData, CertManagerApi.TlsCrt);
            var key = Text(caSecretData, CertManagerApi.TlsKey);
            var problem = CaMaterial.Problem(crt, key);
            return problem is null
                ? new(true, "KeyPairVerified", "Signing CA verified", new IssuerCredentials(name, issuer.Kind, CertManagerApi.Group, crt, key))
                : new(false, "ErrInvalidKeyPair", $"Error getting keypair for CA issuer: {problem}", null);
        }
        return new(false, "ErrUnsupported", "only selfSigned and ca issuers are simulated", null);
    }

    private static string? Text(IReadOnlyDictionary<string, byte[]> data, string key) =>
        data.TryGetValue(key, out var v) ? System.Text.Encoding.ASCII.GetString(v) : null;
}
