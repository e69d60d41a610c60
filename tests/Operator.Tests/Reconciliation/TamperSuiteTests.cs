using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// The adversarial run as a table, on LocalCluster: one row per tamper an attacker or a careless admin would try
/// with kubectl, each with its expected outcome. Every row must be reverted with a Warning Event whose note names
/// the field, and where a control covers the field, that control must fail in the pass that found it (so the
/// report never shows Pass while the tamper stands).
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class TamperSuiteTests
{
    private const string Sts = "phi-db"; // OperatorHarness.Name
    private const string PodSecurity = "CIS-3.3";
    private const string Network = "MDB-SC-NETWORK";
    private const string Transport = "HIPAA-164.312(e)(1)";

    /// <summary>A tamper: the object, the patch kubectl would send, the field the Event must name, and how to see it still stands.</summary>
    public sealed record Tamper(string Group, string Version, string Plural, string Name, V1Patch Patch, string Field,
        Func<JsonObject, bool> Stands, string? Control);

    private static readonly Dictionary<string, Tamper> Rows = new()
    {
        ["kubectl set env LD_PRELOAD"] = PodTemplate("""{"containers":[{"name":"mongod","env":[{"name":"LD_PRELOAD","value":"/data/db/evil.so"}]}]}""",
            "env[name=LD_PRELOAD]", p => Mongod(p)["env"]?.AsArray().Any(e => e?["name"]?.GetValue<string>() == "LD_PRELOAD") == true),
        ["envFrom"] = PodTemplate("""{"containers":[{"name":"mongod","envFrom":[{"configMapRef":{"name":"evil"}}]}]}""",
            ".envFrom", p => Mongod(p)["envFrom"] is not null),
        ["lifecycle.postStart"] = PodTemplate("""{"containers":[{"name":"mongod","lifecycle":{"postStart":{"exec":{"command":["sh","-c","id"]}}}}]}""",
            ".lifecycle", p => Mongod(p)["lifecycle"] is not null),
        ["hostAliases to the KMIP name"] = PodTemplate("""{"hostAliases":[{"ip":"10.0.0.66","hostnames":["kmip.example.org"]}]}""",
            "spec.template.spec.hostAliases", p => p["hostAliases"] is not null),
        ["dnsConfig"] = PodTemplate("""{"dnsConfig":{"nameservers":["10.0.0.66"]}}""",
            "spec.template.spec.dnsConfig", p => p["dnsConfig"] is not null),
        ["seLinuxOptions spc_t"] = PodTemplate("""{"securityContext":{"seLinuxOptions":{"type":"spc_t"}}}""",
            "securityContext.seLinuxOptions", p => p["securityContext"]?["seLinuxOptions"] is not null),
        ["appArmorProfile Unconfined"] = PodTemplate("""{"containers":[{"name":"mongod","securityContext":{"appArmorProfile":{"type":"Unconfined"}}}]}""",
            "securityContext.appArmorProfile", p => Mongod(p)["securityContext"]?["appArmorProfile"] is not null),
        ["procMount Unmasked"] = PodTemplate("""{"containers":[{"name":"mongod","securityContext":{"procMount":"Unmasked"}}]}""",
            "securityContext.procMount", p => Mongod(p)["securityContext"]?["procMount"] is not null),
        ["sysctls"] = PodTemplate("""{"securityContext":{"sysctls":[{"name":"kernel.shm_rmid_forced","value":"0"}]}}""",
            "securityContext.sysctls", p => p["securityContext"]?["sysctls"] is not null),
        ["supplementalGroups [0]"] = PodTemplate("""{"securityContext":{"supplementalGroups":[0]}}""",
            "securityContext.supplementalGroups", p => p["securityContext"]?["supplementalGroups"] is not null),
        ["nodeName"] = PodTemplate("""{"nodeName":"compromised-node"}""",
            "spec.template.spec.nodeName", p => p["nodeName"] is not null),
        ["hostNetwork"] = PodTemplate("""{"hostNetwork":true}""",
            "spec.template.spec.hostNetwork", p => p["hostNetwork"]?.GetValue<bool>() == true),
        ["certificate isCA"] = Merge("cert-manager.io", "v1", "certificates", Sts + "-member", """{"spec":{"isCA":true}}""",
            "spec.isCA", c => c["spec"]?["isCA"] is not null, Transport),
        ["certificate ipAddresses"] = Merge("cert-manager.io", "v1", "certificates", Sts + "-member", """{"spec":{"ipAddresses":["0.0.0.0"]}}""",
            "spec.ipAddresses", c => c["spec"]?["ipAddresses"] is not null, Transport),
        ["service externalIPs"] = Merge("", "v1", "services", Sts, """{"spec":{"externalIPs":["203.0.113.7"]}}""",
            "spec.externalIPs", s => s["spec"]?["externalIPs"] is not null, null),
        ["config map key added"] = Merge("", "v1", "configmaps", Sts + "-mongod-config", """{"data":{"extra.conf":"security: {}"}}""",
            "data[extra.conf]", c => c["data"]?["extra.conf"] is not null, null),
        ["service selector changed"] = Merge("", "v1", "services", Sts, """{"spec":{"selector":{"app.kubernetes.io/instance":"other"}}}""",
            "spec.selector", s => s["spec"]?["selector"]?["app.kubernetes.io/instance"]?.GetValue<string>() == "other", null),
        ["disruption budget loosened"] = Merge("policy", "v1", "poddisruptionbudgets", Sts, """{"spec":{"maxUnavailable":null,"minAvailable":0}}""",
            "spec.", b => b["spec"]?["minAvailable"]?.ToString() == "0", null),
        ["service account token automounted"] = Merge("", "v1", "serviceaccounts", Sts + "-mongod", """{"automountServiceAccountToken":true}""",
            "automountServiceAccountToken", a => a["automountServiceAccountToken"]?.GetValue<bool>() == true, null),
        ["default-deny opened"] = Merge("networking.k8s.io", "v1", "networkpolicies", Sts + "-default-deny", """{"spec":{"ingress":[{}]}}""",
            "spec.ingress", n => n["spec"]?["ingress"] is JsonArray { Count: > 0 }, Network),
        // Policies are additive: our own allow policy widened to every namespace admits more than the spec declares.
        ["operator policy widened to every namespace"] = Merge("networking.k8s.io", "v1", "networkpolicies", Sts + "-operator",
            """{"spec":{"ingress":[{"from":[{"namespaceSelector":{}}]}]}}""",
            "spec.ingress", n => n["spec"]?["ingress"]?[0]?["from"]?[0]?["podSelector"] is null, Network),
    };

    public static TheoryData<string> Names => [.. Rows.Keys];

    [Theory(Timeout = 90_000)]
    [MemberData(nameof(Names))]
    public async Task Each_tamper_is_reverted_with_an_event_naming_the_field_and_fails_its_control(string row)
    {
        var ct = TestContext.Current.CancellationToken;
        var tamper = Rows[row];
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System));
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct),
            r => r["status"]?["compliance"]?["compliant"]?.GetValue<string>() == "True", "compliant before the tamper", ct);

        await h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(tamper.Patch, tamper.Group, tamper.Version,
            OperatorHarness.Namespace, tamper.Plural, tamper.Name, cancellationToken: ct);

        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => es.Any(e => e.Type == "Warning" && e.Message.StartsWith("reverted: ", StringComparison.Ordinal)
                && e.Message.Contains(tamper.Field, StringComparison.Ordinal)), $"a revert Event naming {tamper.Field}", ct);
        Assert.Contains(events, e => e.Message.Contains($"/{tamper.Name}: ", StringComparison.Ordinal));
        await OperatorHarness.EventuallyAsync(() => GetAsync(h, tamper, ct), o => !tamper.Stands(o), "the tamper reverted", ct);
        if (tamper.Control is { } control)
        {
            await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
                es => es.Any(e => e.Reason == EventReasons.ControlFailed && e.Message.Contains(control, StringComparison.Ordinal)),
                $"{control} failed while the tamper stood", ct);
        }
    }

    /// <summary>
    /// A spec change the API server refuses: the patch, and the words its message must hold. A refused change never
    /// stands, so the stored spec is the one before and compliance stays as it was.
    /// </summary>
    public sealed record Refusal(string SpecPatch, string Message);

    private static readonly Dictionary<string, Refusal> Refusals = new()
    {
        ["version downgrade"] = new("""{"version":"7.0.14"}""", "version downgrade from 8.0.4 to 7.0.14 is refused"),
        ["storage shrink"] = new("""{"storage":{"size":"40Gi"}}""", "storage.size cannot shrink (from 50Gi to 40Gi)"),
        ["every namespace by Exists on the name label"] = new(
            """{"network":{"allowedClients":[{"namespaceSelector":{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"Exists"}]},"podSelector":{"matchLabels":{"app":"api"}}}]}}""",
            "namespaceSelector matches every namespace"),
        ["every namespace by DoesNotExist"] = new(
            """{"network":{"allowedClients":[{"namespaceSelector":{"matchExpressions":[{"key":"team","operator":"DoesNotExist"}]}}]}}""",
            "namespaceSelector matches every namespace"),
        ["every pod in every namespace by empty selectors"] = new(
            """{"network":{"allowedClients":[{"podSelector":{},"namespaceSelector":{}}]}}""", "podSelector matches every pod"),
    };

    public static TheoryData<string> RefusalNames => [.. Refusals.Keys];

    [Theory(Timeout = 90_000)]
    [MemberData(nameof(RefusalNames))]
    public async Task Each_weakening_spec_change_is_refused_with_its_reason_and_never_stands(string row)
    {
        var ct = TestContext.Current.CancellationToken;
        var refusal = Refusals[row];
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System));
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        var before = await OperatorHarness.EventuallyAsync(() => h.GetResourceAsync(ct),
            r => r["status"]?["compliance"]?["compliant"]?.GetValue<string>() == "True", "compliant before the change", ct);

        var error = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => h.Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("{\"spec\":" + refusal.SpecPatch + "}", V1Patch.PatchType.MergePatch), Entities.ApiGroup.Group,
            Entities.ApiGroup.Version, OperatorHarness.Namespace, Entities.ApiGroup.Plural, Sts, cancellationToken: ct));

        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        Assert.Contains(refusal.Message, error.Response.Content, StringComparison.Ordinal);
        var after = await h.GetResourceAsync(ct);
        Assert.Equal(before["spec"]!.ToJsonString(), after["spec"]!.ToJsonString());
        Assert.Equal(before["metadata"]!["generation"]!.ToString(), after["metadata"]!["generation"]!.ToString());
    }

    /// <summary>
    /// spec.image naming another build than spec.version: the members run it (the simulator serves the tag's
    /// version), buildInfo says so, and the set is never reported compliant while it stands.
    /// </summary>
    [Fact(Timeout = 150_000)]
    public async Task A_foreign_image_is_reported_from_buildInfo_and_fails_its_control()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartOnSimulatedClusterAsync(ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["image"] = "mongodb/mongodb-enterprise-server:4.4.29";
        sample["spec"]!["verification"] = new JsonObject { ["intervalSeconds"] = 10 };
        await h.CreateAsync(sample, ct);

        var compliantSeen = false;
        var within = TimeSpan.FromSeconds(120);
        await OperatorHarness.EventuallyAsync(async () =>
        {
            var r = await h.GetResourceAsync(ct);
            compliantSeen |= r["status"]?["compliance"]?["compliant"]?.GetValue<string>() == "True";
            return await h.EventsAsync(ct);
        }, es => es.Any(e => e.Reason == EventReasons.UncorrectableDrift && e.Message.Contains("buildInfo version is 4.4.29, not the declared 8.0.4", StringComparison.Ordinal))
            && es.Any(e => e.Reason == EventReasons.ControlFailed && e.Message.Contains("HIPAA-164.312(c)(1)", StringComparison.Ordinal)),
            "an Event naming the build and its control failed", ct, within);
        var status = (await h.GetResourceAsync(ct))["status"]!;
        Assert.Equal("False", status["compliance"]!["compliant"]!.GetValue<string>());
        Assert.False(compliantSeen, "compliance read True while the foreign image ran");
    }

    private static Tamper PodTemplate(string podSpecPatch, string field, Func<JsonObject, bool> stands) =>
        new("apps", "v1", "statefulsets", Sts,
            new V1Patch("{\"spec\":{\"template\":{\"spec\":" + podSpecPatch + "}}}", V1Patch.PatchType.StrategicMergePatch), field,
            s => stands(s["spec"]!["template"]!["spec"]!.AsObject()), PodSecurity);

    private static Tamper Merge(string group, string version, string plural, string name, string patch, string field,
        Func<JsonObject, bool> stands, string? control) =>
        new(group, version, plural, name, new V1Patch(patch, V1Patch.PatchType.MergePatch), field, stands, control);

    private static JsonObject Mongod(JsonObject podSpec) =>
        podSpec["containers"]!.AsArray().OfType<JsonObject>().Single(c => c["name"]!.GetValue<string>() == "mongod");

    private static async Task<JsonObject> GetAsync(OperatorHarness h, Tamper t, CancellationToken ct)
    {
        var obj = await h.Client.CustomObjects.GetNamespacedCustomObjectAsync(t.Group, t.Version, OperatorHarness.Namespace, t.Plural, t.Name, ct);
        return JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
    }
}
