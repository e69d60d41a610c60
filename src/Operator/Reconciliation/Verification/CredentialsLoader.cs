using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Identity;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Certificates;
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

    /// <summary>Whether the leaves are issued by the CA in the CA Secret (null when nothing was loaded).</summary>
    public CaChangeState? Ca { get; init; }

    internal static LoadedCredentials Loaded(MemberCredentials credentials, CaChangeState? ca = null) =>
        new(credentials, credentials.Member is { } m ? new DateTimeOffset(m.NotAfter.ToUniversalTime()) : null, null) { Ca = ca };

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
/// rotation compares what cert-manager last issued with what a member serves. The CA Secret is read by name for its
/// ca.crt alone, the one place the current cluster CA shows, to tell a replaced CA (docs/certificates.md); its key is
/// never used or kept. The rendered client Certificates' Secrets are not read. Logs nothing of them.
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
        // With spec.tls.issuerRef there is no CA Certificate of ours; every issued Secret carries ca.crt.
        var caSecret = await ReadAsync(@namespace, Names.CaSecret(name), ct) ?? memberSecret!;
        var currentCa = Text(caSecret, "ca.crt");
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
            var member = Identity(memberSecret!);
            var ca = Judge(caSecret.Metadata.Name, currentCa ?? operatorIdentity.CaPem ?? "",
                [(memberSecret!.Metadata.Name, member), ("the operator identity", operatorIdentity.Certificate!),
                    ("the verifier identity", verifierIdentity.Certificate!)]);
            if (ca.Stage == CaStage.LeavesOnPreviousCa)
            {
                // While the member leaf is on the previous CA the members serve and trust it: the operator trusts it
                // too (it is the ca.crt cert-manager wrote beside that leaf), so it keeps reaching them.
                trusted.ImportFromPem(Text(memberSecret!, "ca.crt") ?? "");
            }
            return LoadedCredentials.Loaded(new MemberCredentials(trusted, operatorIdentity.Certificate!, verifierIdentity.Certificate!, member), ca);
        }
        catch (CryptographicException)
        {
            operatorIdentity.Certificate!.Dispose();
            verifierIdentity.Certificate!.Dispose();
            // Never the exception text: it could quote the PEM it failed on.
            return LoadedCredentials.NotYet("the member Secret or the CertificateRequest's status.ca does not hold a usable PEM certificate");
        }
    }

    // Which leaves the current CA issued (by key): the pure judgement over what was loaded.
    private static CaChangeState Judge(string caSecret, string currentCaPem, IReadOnlyList<(string Name, X509Certificate2 Leaf)> leaves)
    {
        var current = new X509Certificate2Collection();
        try
        {
            current.ImportFromPem(currentCaPem);
            return CaChange.Judge(caSecret, [.. leaves.Select(l => new CaLeaf(l.Name, IssuedBy(l.Leaf, current)))]);
        }
        finally
        {
            foreach (var cert in current)
            {
                cert.Dispose();
            }
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

    // Whether the leaf's signature verifies under one of the CAs (by key, not name; validity dates are not the question).
    private static bool IssuedBy(X509Certificate2 leaf, X509Certificate2Collection cas)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(cas);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreNotTimeNested
            | X509VerificationFlags.IgnoreWrongUsage;
        try
        {
            return chain.Build(leaf);
        }
        catch (CryptographicException)
        {
            return false;
        }
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
