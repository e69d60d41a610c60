using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// The CA Secret deleted on the simulated cluster: cert-manager issues a new CA while the leaves stay on the old one.
/// The operator detects it by issuer key (one Warning), widens the members' trust bundle to both CAs and has every
/// member load it, re-issues the member certificate from the new CA (cmctl renew's trigger), rotates the members onto
/// it, drops the old CA and proves each member re-read the bundle with one more re-issue; each stage is an Event and
/// the CertificateAuthority condition, and no member is ever refused to the operator meanwhile.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class CaReplacementTests
{
    [Fact(Timeout = 300_000)]
    public async Task A_deleted_ca_secret_heals_through_every_stage_with_the_members_reachable_throughout()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);
        await StatusAsync(h, s => SimulatedClusterTests.AllButKeyCustody(s) && s["readyMembers"]?.GetValue<int>() == 3, "verified", ct);
        var consistent = await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.CertificateAuthority, ct),
            c => c?["status"]?.GetValue<string>() == "True", "CertificateAuthority True", ct);
        Assert.Equal(ConditionReasons.CaConsistent, consistent!["reason"]!.GetValue<string>());
        var oldCa = await CaAsync(h, ct);
        Assert.Equal([oldCa.Thumbprint], await BundleAsync(h, ct)); // the members trust the operator's bundle, holding the CA alone

        await h.Client.CoreV1.DeleteNamespacedSecretAsync(Names.CaSecret(OperatorHarness.Name), OperatorHarness.Namespace, cancellationToken: ct);

        // Detected: cert-manager made a new CA; the bundle trusts both while the member certificate is on the old one.
        var replaced = await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.CertificateAuthority, ct),
            c => c?["status"]?.GetValue<string>() == "False", "CertificateAuthority False", ct, TimeSpan.FromSeconds(90));
        Assert.Equal(ConditionReasons.CaReplaced, replaced!["reason"]!.GetValue<string>());
        Assert.Contains($"Secret {Names.CaSecret(OperatorHarness.Name)} was replaced", replaced["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // The Warning comes from the verification that judges the leaves, which may follow the trust step's pass.
        var warnings = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct), es => es.Any(e => e.Reason == EventReasons.CaReplaced),
            "the CaReplaced Warning", ct, TimeSpan.FromSeconds(60));
        Assert.Equal("Warning", Assert.Single(warnings, e => e.Reason == EventReasons.CaReplaced).Type);

        // Healed: back to True, the member certificate and every member on the new CA, the bundle the new CA alone.
        await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.CertificateAuthority, ct),
            c => c?["status"]?.GetValue<string>() == "True", "CertificateAuthority True again", ct, TimeSpan.FromSeconds(240));
        var newCa = await CaAsync(h, ct);
        Assert.NotEqual(oldCa.Thumbprint, newCa.Thumbprint);
        Assert.Equal([newCa.Thumbprint], await BundleAsync(h, ct));
        using var leaf = await MemberLeafAsync(h, ct);
        Assert.True(IssuedBy(leaf, newCa.Cert), "the member certificate is issued by the new CA");
        var at = DateTime.UtcNow;
        await StatusAsync(h, s => ((JsonArray)s["members"]!).All(m => m!["health"]?.GetValue<string>() == "Healthy"
            && DateTime.Parse(m["verifiedAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime() > at)
            && SimulatedClusterTests.AllButKeyCustody(s), "members verified Healthy after the change", ct);

        // Every stage was announced, in order, and no member was ever out of the operator's reach.
        var events = await h.EventsAsync(ct);
        // Events carry seconds: the order is checked as "not later than", since two stages may share a second.
        string[] expected = ["TrustingBoth", "Reissuing", "Rotating", "DroppingPrevious", "Consistent"];
        var first = events.Where(e => e.Reason == EventReasons.CaTrustStage).GroupBy(e => e.Message.Split(':')[0])
            .ToDictionary(g => g.Key, g => g.Min(e => e.FirstTimestamp ?? DateTime.MaxValue));
        Assert.Equal(expected.Order(), first.Keys.Order());
        Assert.All(expected.Zip(expected.Skip(1)), p => Assert.True(first[p.First] <= first[p.Second], $"{p.First} before {p.Second}"));
        // One re-issue onto the new CA, one proving every member re-read the bundle without the old CA.
        Assert.True(events.Where(e => e.Reason == EventReasons.CertificateReissued).Sum(e => e.Count ?? 1) >= 2);
        Assert.Contains(events, e => e.Reason == EventReasons.CertificateRotated);
        Assert.DoesNotContain(events, e => e.Reason is EventReasons.VerificationFailed or EventReasons.CertificateRotationFailed or EventReasons.ControlFailed);
    }

    private sealed record Ca(string Thumbprint, X509Certificate2 Cert);

    private static async Task<Ca> CaAsync(OperatorHarness h, CancellationToken ct)
    {
        var pem = await OperatorHarness.EventuallyAsync(async () => await ReadOrNullAsync(h, ct), d => d is not null, "the CA", ct);
        var cert = X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(pem!));
        return new(Convert.ToHexStringLower(cert.GetCertHash(HashAlgorithmName.SHA256)), cert);
    }

    private static async Task<List<string>> BundleAsync(OperatorHarness h, CancellationToken ct)
    {
        var map = await h.Client.CoreV1.ReadNamespacedConfigMapAsync(Names.CaBundle(OperatorHarness.Name), OperatorHarness.Namespace, cancellationToken: ct);
        var all = new X509Certificate2Collection();
        all.ImportFromPem(map.Data["ca.crt"]);
        return [.. all.Select(c => Convert.ToHexStringLower(c.GetCertHash(HashAlgorithmName.SHA256)))];
    }

    private static async Task<X509Certificate2> MemberLeafAsync(OperatorHarness h, CancellationToken ct)
    {
        var secret = await h.Client.CoreV1.ReadNamespacedSecretAsync(Names.MemberSecret(OperatorHarness.Name), OperatorHarness.Namespace, cancellationToken: ct);
        return X509Certificate2.CreateFromPem(Encoding.ASCII.GetString(secret.Data["tls.crt"]));
    }

    private static bool IssuedBy(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static async Task<byte[]?> ReadOrNullAsync(OperatorHarness h, CancellationToken ct)
    {
        try
        {
            return (await h.Client.CoreV1.ReadNamespacedSecretAsync(Names.CaSecret(OperatorHarness.Name), OperatorHarness.Namespace, cancellationToken: ct)).Data?["ca.crt"];
        }
        catch (k8s.Autorest.HttpOperationException)
        {
            return null;
        }
    }

    private static Task<JsonObject> StatusAsync(OperatorHarness h, Func<JsonObject, bool> check, string what, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync(async () => (await h.GetResourceAsync(ct))["status"] as JsonObject ?? [], check, what, ct,
            TimeSpan.FromSeconds(90));
}
