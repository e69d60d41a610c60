using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HipaaMongo.Operator.Baseline;
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

/// <summary>Reads the operator, verifier, member and CA Secrets (names from <see cref="Names"/>). Reads only; logs nothing of them.</summary>
public sealed class CredentialsLoader(IKubernetes client)
{
    public async Task<LoadedCredentials> LoadAsync(string @namespace, string name, CancellationToken ct)
    {
        var operatorSecret = await ReadAsync(@namespace, Names.OperatorSecret(name), ct);
        var verifierSecret = await ReadAsync(@namespace, Names.VerifierSecret(name), ct);
        var memberSecret = await ReadAsync(@namespace, Names.MemberSecret(name), ct);
        // With spec.tls.issuerRef there is no CA Certificate of ours; every issued Secret carries ca.crt.
        var caSecret = await ReadAsync(@namespace, Names.CaSecret(name), ct) ?? memberSecret;
        var missing = Missing((Names.OperatorSecret(name), operatorSecret), (Names.VerifierSecret(name), verifierSecret),
            (Names.MemberSecret(name), memberSecret));
        if (missing is not null)
        {
            return LoadedCredentials.NotYet(missing);
        }
        var caPem = Text(caSecret!, "ca.crt");
        if (caPem is null)
        {
            return LoadedCredentials.NotYet($"Secret {caSecret!.Metadata.Name} has no ca.crt");
        }
        try
        {
            var trusted = new X509Certificate2Collection();
            trusted.ImportFromPem(caPem);
            var leaves = new[] { (operatorSecret!, Identity(operatorSecret!)), (verifierSecret!, Identity(verifierSecret!)), (memberSecret!, Identity(memberSecret!)) };
            var ca = CaChange.Judge(caSecret!.Metadata.Name, [.. leaves.Select(l => new CaLeaf(l.Item1.Metadata.Name, IssuedBy(l.Item2, trusted)))]);
            if (ca.Stage == CaStage.LeavesOnPreviousCa)
            {
                // While the leaves are on the previous CA the members serve and trust it: the operator trusts it too
                // (it is the ca.crt cert-manager wrote beside those leaves), so it keeps reaching them.
                foreach (var (secret, _) in leaves.Where(l => ca.StaleLeaves.Contains(l.Item1.Metadata.Name)))
                {
                    trusted.ImportFromPem(Text(secret, "ca.crt") ?? "");
                }
            }
            return LoadedCredentials.Loaded(new MemberCredentials(trusted, leaves[0].Item2, leaves[1].Item2, leaves[2].Item2), ca);
        }
        catch (CryptographicException)
        {
            // Never the exception text: it could quote the PEM it failed on.
            return LoadedCredentials.NotYet("a certificate Secret does not hold a usable PEM certificate and key");
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
