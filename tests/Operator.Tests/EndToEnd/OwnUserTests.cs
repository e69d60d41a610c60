using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members.Connection;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Tests.Reconciliation;
using k8s;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// The operator's own MongoDB user dropped out of band by an admin (the member certificate, i.e. __system, on the
/// primary) on the simulated cluster: the next verification names it, creates it again and the one after passes,
/// with the same operator process throughout.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class OwnUserTests
{
    [Fact(Timeout = 240_000)]
    public async Task A_dropped_operator_user_is_named_in_an_event_created_again_and_verification_passes_without_a_restart()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);
        var status = await StatusAsync(h, s => SimulatedClusterTests.AllButKeyCustody(s) && s["readyMembers"]?.GetValue<int>() == 3,
            "every control but key custody with 3 verified members", ct);
        var primaryName = ((JsonArray)status["members"]!).First(m => m!["role"]!.GetValue<string>() == "Primary")!["name"]!.GetValue<string>();
        var primary = await h.Client.CoreV1.ReadNamespacedPodAsync(primaryName, OperatorHarness.Namespace, cancellationToken: ct);
        var subject = await OperatorSubjectAsync(h, ct);

        await PersonWithOperatorCertificate.RunWithAsync(h.Client, OperatorHarness.Namespace, Names.MemberSecret(OperatorHarness.Name),
            primary.Status.PodIP, "$external", new BsonDocument("dropUser", subject), ct);

        IReadOnlyList<k8s.Models.Corev1Event> events = [];
        try
        {
            events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
                es => es.Any(e => e.Reason == EventReasons.OwnUserRecreated && e.Message.Contains(subject, StringComparison.Ordinal)),
                "the operator's user created again", ct, TimeSpan.FromSeconds(90));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Assert.Fail(e.Message + "; Events: " + string.Join(" | ", (await h.EventsAsync(ct)).Select(x => $"{x.Reason}: {x.Message}")));
        }
        // Users replicate: every member says the user is gone, each in one Warning that names it.
        var missing = events.Where(e => e.Reason == EventReasons.OwnUserMissing).ToList();
        Assert.NotEmpty(missing);
        Assert.All(missing, e => Assert.Equal("Warning", e.Type));
        Assert.All(missing, e => Assert.Contains(subject, e.Message, StringComparison.Ordinal));
        Assert.All(missing, e => Assert.Contains("user missing: ", e.Message, StringComparison.Ordinal));
        Assert.Contains(missing, e => e.Message.Contains($"on {primaryName}: ", StringComparison.Ordinal));
        Assert.NotNull(h.Mongods.HostOf(primary.Metadata.Uid)!.State.Users.FindUser("$external", subject));

        // A verification after the re-creation passes: every member read as before, nothing failing.
        var recreatedAt = events.Where(e => e.Reason == EventReasons.OwnUserRecreated).Max(e => e.LastTimestamp ?? e.EventTime ?? DateTime.MinValue);
        await StatusAsync(h, s => SimulatedClusterTests.AllButKeyCustody(s)
            && ((JsonArray)s["members"]!).All(m => m!["health"]?.GetValue<string>() == "Healthy"
                && DateTime.Parse(m["verifiedAt"]!.ToString(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime() > recreatedAt.ToUniversalTime()),
            "a passing verification after the re-creation", ct);
        var after = await h.EventsAsync(ct);
        Assert.Equal(missing.Count, after.Count(e => e.Reason == EventReasons.OwnUserMissing)); // announced once, not on every pass
        Assert.DoesNotContain(after, e => e.Reason == EventReasons.BootstrapFailed);
    }

    private static async Task<string> OperatorSubjectAsync(OperatorHarness h, CancellationToken ct)
    {
        var issued = await TestIdentities.RequestedIdentity.ForAsync(h.Client, OperatorHarness.Namespace, OperatorHarness.Name,
            HipaaMongo.Operator.Identity.ClientRole.Operator, ct);
        using var cert = issued.Certificate;
        return SubjectName.Rfc2253(cert);
    }

    private static Task<JsonObject> StatusAsync(OperatorHarness h, Func<JsonObject, bool> check, string what, CancellationToken ct) =>
        OperatorHarness.EventuallyAsync(async () => (await h.GetResourceAsync(ct))["status"] as JsonObject ?? [], check, what, ct,
            TimeSpan.FromSeconds(90));
}
