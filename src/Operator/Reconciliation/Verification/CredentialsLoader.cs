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

    /// <summary>
    /// While the member certificate is on the previous CA: an operator identity of the current CA, used only to learn
    /// whether each member trusts that CA yet (null otherwise, or while it is not issued).
    /// </summary>
    public X509Certificate2? Probe { get; init; }

    internal static LoadedCredentials Loaded(MemberCredentials credentials, CaChangeState? ca = null, X509Certificate2? probe = null) =>
        new(credentials, credentials.Member is { } m ? new DateTimeOffset(m.NotAfter.ToUniversalTime()) : null, null) { Ca = ca, Probe = probe };

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
        Probe?.Dispose();
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
        var bundle = await ReadBundleAsync(@namespace, Names.CaBundle(name), ct);
        var leafOnCurrent = LeafIssuedBy(memberSecret!, currentCa);
        var operatorIdentity = await IdentityAsync(operatorSpec, currentCa, renew: leafOnCurrent, ct);
        if (operatorIdentity.Problem is { } operatorProblem)
        {
            return LoadedCredentials.NotYet(operatorProblem);
        }
        var verifierIdentity = await IdentityAsync(verifierSpec, currentCa, renew: leafOnCurrent, ct);
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
            // The operator trusts what the members trust (the bundle), and the current CA, for the members' certificates.
            trusted.ImportFromPem((currentCa ?? "") + "\n" + (bundle ?? ""));
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
            var probe = ca.StaleLeaves.Contains(memberSecret!.Metadata.Name) ? await ProbeAsync(operatorSpec, currentCa, ct) : null;
            return LoadedCredentials.Loaded(new MemberCredentials(trusted, operatorIdentity.Certificate!, verifierIdentity.Certificate!, member), ca, probe);
        }
        catch (CryptographicException)
        {
            operatorIdentity.Certificate!.Dispose();
            verifierIdentity.Certificate!.Dispose();
            // Never the exception text: it could quote the PEM it failed on.
            return LoadedCredentials.NotYet("the member Secret or the CertificateRequest's status.ca does not hold a usable PEM certificate");
        }
    }

    // Once the member certificate is on the current CA, every member trusts it (the bundle held both before the
    // re-issue): an identity of the previous CA is renewed at once, so the previous CA can leave the bundle.
    private async Task<IdentityResult> IdentityAsync(ClientIdentitySpec spec, string? currentCa, bool renew, CancellationToken ct)
    {
        var result = await identities.GetAsync(spec, ct);
        if (!renew || result.Certificate is not { } held || currentCa is null || CaSignature.IssuedBy(held, Cas(currentCa)))
        {
            return result;
        }
        identities.RenewNow(spec);
        held.Dispose();
        return await identities.GetAsync(spec, ct);
    }

    // A certificate of the current CA for the probe; one of an earlier CA (a probe from a change before) is renewed.
    private async Task<X509Certificate2?> ProbeAsync(ClientIdentitySpec operatorSpec, string? currentCa, CancellationToken ct)
    {
        var probe = await IdentityAsync(operatorSpec.AsProbe(), currentCa, renew: true, ct);
        if (probe.Certificate is { } cert && currentCa is not null && !CaSignature.IssuedBy(cert, Cas(currentCa)))
        {
            cert.Dispose();
            return null;
        }
        return probe.Certificate;
    }

    private static bool LeafIssuedBy(V1Secret memberSecret, string? currentCa)
    {
        if (currentCa is null || Text(memberSecret, "tls.crt") is not { } pem)
        {
            return false;
        }
        try
        {
            using var leaf = X509Certificate2.CreateFromPem(pem);
            return CaSignature.IssuedBy(leaf, Cas(currentCa));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static X509Certificate2Collection Cas(string pem)
    {
        var cas = new X509Certificate2Collection();
        try
        {
            cas.ImportFromPem(pem);
        }
        catch (CryptographicException)
        {
            cas.Clear();
        }
        return cas;
    }

    private async Task<string?> ReadBundleAsync(string @namespace, string name, CancellationToken ct)
    {
        try
        {
            var map = await client.CoreV1.ReadNamespacedConfigMapAsync(name, @namespace, cancellationToken: ct);
            return CaTrustObservation.Value(map.Data, PodVolumes.CaKey);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    // Which leaves the current CA issued (by key): the pure judgement over what was loaded.
    private static CaChangeState Judge(string caSecret, string currentCaPem, IReadOnlyList<(string Name, X509Certificate2 Leaf)> leaves)
    {
        var current = new X509Certificate2Collection();
        try
        {
            current.ImportFromPem(currentCaPem);
            return CaChange.Judge(caSecret, [.. leaves.Select(l => new CaLeaf(l.Name, CaSignature.IssuedBy(l.Leaf, current)))]);
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
