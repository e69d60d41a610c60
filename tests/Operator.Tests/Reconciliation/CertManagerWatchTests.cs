using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Apply;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// cert-manager Issuers and Certificates are watched and cached like the built-in owned kinds: a pass at
/// rest reads none of them from the API server, and an out-of-band change wakes the owner from its watch event.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class CertManagerWatchTests
{
    private const string Group = "cert-manager.io";
    private const string Version = "v1";
    private static readonly ObjectKey Key = new(OperatorHarness.Namespace, OperatorHarness.Name);
    private static readonly string MemberCertificate = OperatorHarness.Name + "-member";

    [Fact(Timeout = 60_000)]
    public async Task A_pass_at_rest_gets_no_certificate_or_issuer_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitSettledAsync(h, ct);
        await h.PassAsync(ct); // settle the passes our own writes' watch events started
        var before = h.Server.AuditTrail.Records.Count;

        await h.PassAsync(ct);

        var requests = h.Server.AuditTrail.Records.Skip(before).ToList();
        Assert.DoesNotContain(requests, r => r.Resource is "certificates" or "issuers");
        Assert.DoesNotContain(requests, r => r.Verb is "create" or "update" or "patch" or "delete");
        // Before the informers the same pass made a GET per rendered Certificate and Issuer (docs/benchmarks.md).
        var rendered = await ListNamesAsync(h, "certificates", ct);
        Assert.Equal(2, rendered.Count); // the CA and the member: the client identities come from CertificateRequests
        Assert.Equal(2, (await ListNamesAsync(h, "issuers", ct)).Count);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_deleted_certificate_is_recreated_from_its_watch_event_with_an_event()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitSettledAsync(h, ct);
        // At rest the next periodic pass is a whole verification interval away (60 s, longer than any wait below),
        // so a correction seen within the harness's 20 s can only have come from the Certificate's own watch event.
        Assert.Equal(TimeSpan.FromSeconds(60), (await h.PassAsync(ct)).After);
        var before = await GetAsync(h, "certificates", MemberCertificate, ct);
        var mark = h.Server.AuditTrail.Records.Count;

        await h.Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Group, Version, OperatorHarness.Namespace, "certificates",
            MemberCertificate, cancellationToken: ct);

        var after = await OperatorHarness.EventuallyAsync(() => GetAsync(h, "certificates", MemberCertificate, ct),
            c => c is not null && Uid(c) != Uid(before), "member Certificate recreated", ct);
        Assert.Equal(before!["spec"]!.ToJsonString(), after!["spec"]!.ToJsonString());
        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => es.Any(e => e.Reason == "ObjectMissing" && e.Message.Contains(MemberCertificate, StringComparison.Ordinal)),
            "ObjectMissing event naming the Certificate", ct);
        Assert.Equal("Warning", events.First(e => e.Reason == "ObjectMissing").Type);
        // A cache miss is not proof of absence: the miss was confirmed by a GET (404) before the create.
        var since = h.Server.AuditTrail.Records.Skip(mark).ToList();
        var confirmed = since.FindIndex(r => r is { Verb: "get", Resource: "certificates", Code: 404 } && r.Name == MemberCertificate);
        var created = since.FindIndex(r => r is { Verb: "create", Resource: "certificates", Code: 201 });
        Assert.InRange(confirmed, 0, created - 1);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_edited_certificate_spec_is_reverted_from_its_watch_event_with_an_event()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitSettledAsync(h, ct);
        Assert.Equal(TimeSpan.FromSeconds(60), (await h.PassAsync(ct)).After);
        var commonName = (await GetAsync(h, "certificates", MemberCertificate, ct))!["spec"]!["commonName"]!.GetValue<string>();

        var edit = new JsonObject { ["spec"] = new JsonObject { ["commonName"] = "attacker.example.org" } };
        await h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(edit.ToJsonString(), V1Patch.PatchType.MergePatch),
            Group, Version, OperatorHarness.Namespace, "certificates", MemberCertificate, cancellationToken: ct);

        await OperatorHarness.EventuallyAsync(() => GetAsync(h, "certificates", MemberCertificate, ct),
            c => c?["spec"]?["commonName"]?.GetValue<string>() == commonName, "commonName restored", ct);
        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct), es => es.Any(e => e.Reason == "CertificateChanged"),
            "CertificateChanged event", ct);
        var evt = events.First(e => e.Reason == "CertificateChanged");
        Assert.Equal("Warning", evt.Type);
        Assert.Contains(MemberCertificate, evt.Message);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_renewed_certificate_wakes_the_reconciler_which_reads_its_new_expiry_from_the_cache()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitSettledAsync(h, ct);
        Assert.Equal(TimeSpan.FromSeconds(60), (await h.PassAsync(ct)).After);

        // What cert-manager writes when it (re)issues: status.notAfter, on the status subresource only.
        var mark = h.Server.AuditTrail.Records.Count;
        var notAfter = "2027-02-23T10:00:00Z";
        var renewal = new JsonObject { ["status"] = new JsonObject { ["notAfter"] = notAfter } };
        await h.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(renewal.ToJsonString(), V1Patch.PatchType.MergePatch),
            Group, Version, OperatorHarness.Namespace, "certificates", MemberCertificate, cancellationToken: ct);

        // No member is verified here, so status.tlsExpiresAt is the member Certificate's notAfter (docs/reconciler.md).
        var resource = await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct),
            r => r["status"]?["tlsExpiresAt"]?.GetValue<string>() == notAfter, "status.tlsExpiresAt from the renewed Certificate", ct);
        Assert.Equal(notAfter, resource["status"]!["tlsExpiresAt"]!.GetValue<string>());
        // The pass read the new expiry from the informer's cache: nobody GET a Certificate since the renewal.
        Assert.DoesNotContain(h.Server.AuditTrail.Records.Skip(mark), r => r.Verb == "get" && r.Resource == "certificates");
    }

    [Fact]
    public void A_cached_certificate_keeps_spec_and_status_as_the_server_sent_them()
    {
        const string wire = """
            {"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"phi-db-member","namespace":"clinical","resourceVersion":"7"},
             "spec":{"secretName":"phi-db-member-tls","dnsNames":["a","b"],"privateKey":{"rotationPolicy":"Always"}},
             "status":{"notAfter":"2027-01-01T00:00:00Z","conditions":[{"type":"Ready","status":"True"}]}}
            """;
        IKubernetesObject<V1ObjectMeta> cached = KubernetesJson.Deserialize<LiveCertificate>(wire);

        var json = JsonNode.Parse(KubernetesJson.Serialize(cached))!.AsObject();

        var expected = JsonNode.Parse(wire)!.AsObject();
        Assert.True(JsonNode.DeepEquals(expected["spec"], json["spec"]), json.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expected["status"], json["status"]), json.ToJsonString());
        Assert.Equal("7", json["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("Certificate", json["kind"]!.GetValue<string>());
    }

    private static async Task WaitSettledAsync(OperatorHarness h, CancellationToken ct)
    {
        await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct), r => r["status"]?["observedGeneration"] is not null,
            "status.observedGeneration", ct);
        await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.NetworkIsolated, ct),
            c => c?["status"]?.GetValue<string>() == "True", "NetworkIsolated=True", ct);
    }

    private static string? Uid(JsonObject? obj) => obj?["metadata"]?["uid"]?.GetValue<string>();

    private static async Task<IReadOnlyList<string>> ListNamesAsync(OperatorHarness h, string plural, CancellationToken ct)
    {
        var list = await h.Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, OperatorHarness.Namespace, plural,
            cancellationToken: ct);
        var json = JsonNode.Parse(((JsonElement)list).GetRawText())!;
        return [.. json["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>())];
    }

    private static async Task<JsonObject?> GetAsync(OperatorHarness h, string plural, string name, CancellationToken ct)
    {
        try
        {
            var obj = await h.Client.CustomObjects.GetNamespacedCustomObjectAsync(Group, Version, OperatorHarness.Namespace, plural, name, ct);
            return JsonNode.Parse(((JsonElement)obj).GetRawText())!.AsObject();
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
