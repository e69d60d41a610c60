using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Identity;
using HipaaMongo.Operator.Members;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// The certificates the operator needs for one verification, loaded from the cert-manager Secrets, or the
/// reason they are not there yet. Disposable: the private keys live only for the verification that uses them.
/// Never printed: ToString names only the subjects.
/// </summary>
public sealed class LoadedCredentials : IDisposable
{
    private LoadedCredentials(MemberCredentials? credentials, DateTimeOffset? memberNotAfter, string? missing)
    {
        Credentials = credentials;
        MemberSecretNotAfter = memberNotAfter;
        Missing = missing;
    }

    public MemberCredentials? Credentials { get; }

    /// <summary>notAfter of the certificate in the member Secret (what cert-manager last issued).</summary>
    public DateTimeOffset? MemberSecretNotAfter { get; }

    /// <summary>Why no credentials: the Secret or key that is absent (never a value).</summary>
    public string? Missing { get; }

    internal static LoadedCredentials Loaded(MemberCredentials credentials) =>
        new(credentials, credentials.Member is { } m ? new DateTimeOffset(m.NotAfter.ToUniversalTime()) : null, null);

    internal static LoadedCredentials NotYet(string why) => new(null, null, why);

    public override string ToString() => Credentials?.ToString() ?? $"LoadedCredentials(missing: {Missing})";

    public void Dispose()
    {
        if (Credentials is null)
        {
            return;
        }
        Credentials.Operator.Dispose();
        Credentials.Verifier.Dispose();
        Credentials.Member?.Dispose();
        foreach (var ca in Credentials.TrustedCa)
        {
            ca.Dispose();
        }
    }
}

/// <summary>
/// The credentials of one verification: the operator's and the verifier's client identities from
/// <see cref="CertificateRequestIdentities"/> (keys in this process only), the CA from their requests' status, and
/// the member Secret, read by name with get, only because bootstrap authenticates as the member (__system) and
/// rotation compares what cert-manager last issued with what a member serves. No other Secret of the set is read:
/// not the CA's (it holds the CA key), not the rendered client Certificates'. Logs nothing of them.
/// </summary>
public sealed class CredentialsLoader(IKubernetes client, CertificateRequestIdentities identities)
{
    public async Task<LoadedCredentials> LoadAsync(HipaaMongoResource resource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var (@namespace, name) = (resource.Metadata.NamespaceProperty, resource.Metadata.Name);
        var memberSecret = await ReadAsync(@namespace, Names.MemberSecret(name), ct);
        var missing = Missing((Names.MemberSecret(name), memberSecret));
        if (missing is not null)
        {
            return LoadedCredentials.NotYet(missing);
        }
        var (operatorSpec, verifierSpec) = ClientIdentitySpec.For(resource);
        var operatorIdentity = await identities.GetAsync(operatorSpec, ct);
        if (operatorIdentity.Problem is { } operatorProblem)
        {
            return LoadedCredentials.NotYet(operatorProblem);
        }
        var verifierIdentity = await identities.GetAsync(verifierSpec, ct);
        if (verifierIdentity.Problem is { } verifierProblem)
        {
            operatorIdentity.Certificate!.Dispose();
            return LoadedCredentials.NotYet(verifierProblem);
        }
        try
        {
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPem(operatorIdentity.CaPem);
            if (trusted.Count == 0)
            {
                throw new CryptographicException();
            }
            return LoadedCredentials.Loaded(new MemberCredentials(trusted, operatorIdentity.Certificate!, verifierIdentity.Certificate!,
                Identity(memberSecret!)));
        }
        catch (CryptographicException)
        {
            operatorIdentity.Certificate!.Dispose();
            verifierIdentity.Certificate!.Dispose();
            // Never the exception text: it could quote the PEM it failed on.
            return LoadedCredentials.NotYet("the member Secret or the CertificateRequest's status.ca does not hold a usable PEM certificate");
        }
    }

    private static string? Missing(params (string Name, V1Secret? Secret)[] secrets)
    {
        foreach (var (secretName, secret) in secrets)
        {
            if (secret is null)
            {
                return $"Secret {secretName} does not exist yet";
            }
            if (Text(secret, "tls.crt") is null || Text(secret, "tls.key") is null)
            {
                return $"Secret {secretName} has no tls.crt and tls.key yet";
            }
        }
        return null;
    }

    private static X509Certificate2 Identity(V1Secret secret) =>
        X509Certificate2.CreateFromPem(Text(secret, "tls.crt"), Text(secret, "tls.key"));

    private static string? Text(V1Secret secret, string key) =>
        secret.Data?.TryGetValue(key, out var bytes) == true && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;

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
