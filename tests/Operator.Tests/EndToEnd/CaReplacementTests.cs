using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// The CA Secret deleted on the simulated cluster: cert-manager issues a new CA while the leaves stay on the old one.
/// The operator detects it by issuer key, says so in one Warning and the CertificateAuthority condition with the
/// stage, and keeps reaching the members (it trusts the previous CA beside the current one while the leaves are on it),
/// so the members are not reported as failing for a certificate they were always meant to serve.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class CaReplacementTests
{
    [Fact(Timeout = 240_000)]
    public async Task A_deleted_ca_secret_is_detected_named_in_status_and_the_members_stay_reachable()
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
        var before = (await h.Client.CoreV1.ReadNamespacedSecretAsync(Names.CaSecret(OperatorHarness.Name), OperatorHarness.Namespace, cancellationToken: ct)).Data["tls.crt"];

        await h.Client.CoreV1.DeleteNamespacedSecretAsync(Names.CaSecret(OperatorHarness.Name), OperatorHarness.Namespace, cancellationToken: ct);

        // cert-manager issued a new CA (another key; the leaves were not re-issued).
        await OperatorHarness.EventuallyAsync(async () => await ReadOrNullAsync(h, ct), d => d is not null && !d.SequenceEqual(before), "a new CA", ct,
            TimeSpan.FromSeconds(60));
        var replaced = await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.CertificateAuthority, ct),
            c => c?["status"]?.GetValue<string>() == "False", "CertificateAuthority False", ct, TimeSpan.FromSeconds(90));
        Assert.Equal(ConditionReasons.CaReplaced, replaced!["reason"]!.GetValue<string>());
        var message = replaced["message"]!.GetValue<string>();
        Assert.Contains($"Secret {Names.CaSecret(OperatorHarness.Name)} was replaced", message, StringComparison.Ordinal);
        Assert.Contains(Names.MemberSecret(OperatorHarness.Name), message, StringComparison.Ordinal);
        Assert.Contains("Stage: detected", message, StringComparison.Ordinal);
        var warning = Assert.Single(await h.EventsAsync(ct), e => e.Reason == EventReasons.CaReplaced);
        Assert.Equal("Warning", warning.Type);

        // The members are still read: a verification after the change finds them healthy, none "not issued by the cluster CA".
        var at = DateTime.UtcNow;
        await StatusAsync(h, s => ((JsonArray)s["members"]!).All(m => m!["health"]?.GetValue<string>() == "Healthy"
            && DateTime.Parse(m["verifiedAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime() > at), "members verified after the change", ct);
        Assert.DoesNotContain(await h.EventsAsync(ct), e => e.Reason == EventReasons.VerificationFailed);
    }

    private static async Task<byte[]?> ReadOrNullAsync(OperatorHarness h, CancellationToken ct)
    {
        try
        {
            return (await h.Client.CoreV1.ReadNamespacedSecretAsync(Names.CaSecret(OperatorHarness.Name), OperatorHarness.Namespace, cancellationToken: ct)).Data?["tls.crt"];
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
