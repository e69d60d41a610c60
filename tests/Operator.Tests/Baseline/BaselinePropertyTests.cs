using System.Text.Json.Nodes;
using CsCheck;
using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Tests.Baseline;

/// <summary>
/// Over generated valid specs, every render keeps the secure baseline (secure-baseline.md
/// 0 and 8). Assertions read the rendered YAML stream back, i.e. what a user would apply.
/// </summary>
public class BaselinePropertyTests
{
    private const int Iterations = 150;

    [Fact]
    public void Generated_specs_are_valid_for_the_API_validator() =>
        SpecGen.Resource.Sample(r => Assert.Empty(HipaaMongoValidator.Validate(r, null)), iter: Iterations, threads: 1);

    [Fact]
    public void Every_render_keeps_the_locked_mongod_options() => Sample(docs =>
    {
        var conf = YamlJson.Single(Config(docs)["data"]!["mongod.conf"]!.GetValue<string>());
        Assert.Equal("requireTLS", Str(conf, "net.tls.mode"));
        var protocols = Str(conf, "net.tls.disabledProtocols")!.Split(',');
        Assert.Contains("TLS1_0", protocols);
        Assert.Contains("TLS1_1", protocols);
        Assert.Null(YamlJson.At(conf, "net.tls.allowInvalidCertificates"));
        Assert.Null(YamlJson.At(conf, "net.tls.allowInvalidHostnames"));
        Assert.Equal("x509", Str(conf, "security.clusterAuthMode"));
        Assert.Equal("enabled", Str(conf, "security.authorization"));
        Assert.False(Bool(conf, "security.javascriptEnabled"));
        Assert.False(Bool(conf, "setParameter.enableLocalhostAuthBypass"));
        Assert.True(Bool(conf, "security.redactClientLogData"));
        Assert.True(Bool(conf, "security.enableEncryption"));
        Assert.False(string.IsNullOrEmpty(Str(conf, "security.kmip.serverName")));
        Assert.Null(YamlJson.At(conf, "security.encryptionKeyFile"));
        Assert.Equal("file", Str(conf, "auditLog.destination"));
        Assert.StartsWith("{", Str(conf, "auditLog.filter"), StringComparison.Ordinal);
        Assert.Equal("off", Str(conf, "operationProfiling.mode"));
        Assert.DoesNotContain("SCRAM-SHA-1,", Str(conf, "setParameter.authenticationMechanisms") + ",", StringComparison.Ordinal);
    });

    [Fact]
    public void Every_render_has_a_default_deny_policy_selecting_the_statefulset_pods() => Sample(docs =>
    {
        var podLabels = (JsonObject)StatefulSet(docs)["spec"]!["template"]!["metadata"]!["labels"]!;
        var denies = docs.Where(d => Kind(d) == "NetworkPolicy" && IsDefaultDeny(d)).ToList();
        Assert.NotEmpty(denies);
        Assert.Contains(denies, d =>
        {
            var selector = (JsonObject)d["spec"]!["podSelector"]!["matchLabels"]!;
            return selector.Count > 0 && selector.All(kv => podLabels[kv.Key]?.GetValue<string>() == kv.Value!.GetValue<string>());
        });
    });

    [Fact]
    public void Every_render_runs_restricted_without_subPath_or_token() => Sample(docs =>
    {
        var pod = StatefulSet(docs)["spec"]!["template"]!["spec"]!;
        Assert.False(pod["automountServiceAccountToken"]!.GetValue<bool>());
        Assert.True(pod["securityContext"]!["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal("RuntimeDefault", pod["securityContext"]!["seccompProfile"]!["type"]!.GetValue<string>());
        foreach (var field in new[] { "hostNetwork", "hostPID", "hostIPC" })
        {
            Assert.NotEqual(true, pod[field]?.GetValue<bool>());
        }

        Assert.All(((JsonArray)pod["volumes"]!).Select(v => v!), v => Assert.Null(v["hostPath"]));
        var containers = ((JsonArray)pod["containers"]!).Concat((JsonArray?)pod["initContainers"] ?? []).Select(c => c!).ToList();
        Assert.All(containers, AssertRestricted);
        var sa = docs.Single(d => Kind(d) == "ServiceAccount");
        Assert.False(sa["automountServiceAccountToken"]!.GetValue<bool>());
    });

    [Fact]
    public void Every_object_is_owned_and_labelled_when_the_uid_is_known() => Sample((resource, docs) =>
    {
        foreach (var doc in docs)
        {
            Assert.Equal(resource.Metadata.Name, doc["metadata"]!["labels"]!["app.kubernetes.io/instance"]!.GetValue<string>());
            Assert.Equal("hipaa-mongo-operator", doc["metadata"]!["labels"]!["app.kubernetes.io/managed-by"]!.GetValue<string>());
            var owners = (JsonArray?)doc["metadata"]!["ownerReferences"];
            if (resource.Metadata.Uid is null)
            {
                Assert.Null(owners);
                continue;
            }

            var owner = Assert.Single(owners!)!;
            Assert.Equal(ApiGroup.ApiVersion, owner["apiVersion"]!.GetValue<string>());
            Assert.Equal(ApiGroup.Kind, owner["kind"]!.GetValue<string>());
            Assert.Equal(resource.Metadata.Uid, owner["uid"]!.GetValue<string>());
            Assert.True(owner["controller"]!.GetValue<bool>());
        }
    });

    [Fact]
    public void Member_certificate_names_every_member_and_serves_both_auth_roles() => Sample((resource, docs) =>
    {
        var name = resource.Metadata.Name;
        var ns = resource.Metadata.NamespaceProperty;
        var member = docs.Single(d => Kind(d) == "Certificate" && d["metadata"]!["name"]!.GetValue<string>() == name + "-member");
        var dnsNames = ((JsonArray)member["spec"]!["dnsNames"]!).Select(n => n!.GetValue<string>()).ToHashSet();
        for (var i = 0; i < resource.Spec.Members; i++)
        {
            Assert.Contains($"{name}-{i}.{name}-hs.{ns}.svc.cluster.local", dnsNames);
        }

        var usages = ((JsonArray)member["spec"]!["usages"]!).Select(u => u!.GetValue<string>()).ToList();
        Assert.Contains("server auth", usages);
        Assert.Contains("client auth", usages);
        Assert.Equal("CombinedPEM", member["spec"]!["additionalOutputFormats"]![0]!["type"]!.GetValue<string>());
        var memberOu = member["spec"]!["subject"]!["organizationalUnits"]!.ToJsonString();
        var clients = docs.Where(d => Kind(d) == "Certificate" && d != member && d["spec"]!["isCA"] is null);
        Assert.All(clients, c => Assert.NotEqual(memberOu, c["spec"]!["subject"]!["organizationalUnits"]!.ToJsonString()));
    });

    [Fact]
    public void Render_is_deterministic() => SpecGen.Resource.Sample(r =>
        Assert.Equal(YamlStream.Write(DesiredStateRenderer.Render(r)), YamlStream.Write(DesiredStateRenderer.Render(r))),
        iter: 50, threads: 1);

    private static void AssertRestricted(JsonNode container)
    {
        var sc = container["securityContext"]!;
        Assert.NotEqual(true, sc["privileged"]?.GetValue<bool>());
        Assert.False(sc["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.True(sc["readOnlyRootFilesystem"]!.GetValue<bool>());
        Assert.Equal("[\"ALL\"]", sc["capabilities"]!["drop"]!.ToJsonString());
        Assert.Null(sc["capabilities"]!["add"]);
        Assert.All(((JsonArray)container["volumeMounts"]!).Select(m => m!), m => Assert.Null(m["subPath"]));
    }

    private static bool IsDefaultDeny(JsonNode policy)
    {
        var types = policy["spec"]!["policyTypes"]!.ToJsonString();
        return types.Contains("Ingress", StringComparison.Ordinal) && types.Contains("Egress", StringComparison.Ordinal)
            && policy["spec"]!["ingress"] is null && policy["spec"]!["egress"] is null;
    }

    private static void Sample(Action<IReadOnlyList<JsonNode>> check) => Sample((_, docs) => check(docs));

    private static void Sample(Action<HipaaMongoResource, IReadOnlyList<JsonNode>> check) =>
        SpecGen.Resource.Sample(r =>
        {
            var docs = YamlJson.Documents(YamlStream.Write(DesiredStateRenderer.Render(r))).Select(d => d!).ToList();
            check(r, docs);
        }, iter: Iterations, threads: 1);

    private static string? Kind(JsonNode doc) => doc["kind"]?.GetValue<string>();

    private static JsonNode Config(IReadOnlyList<JsonNode> docs) => docs.Single(d => Kind(d) == "ConfigMap");

    private static JsonNode StatefulSet(IReadOnlyList<JsonNode> docs) => docs.Single(d => Kind(d) == "StatefulSet");

    private static string? Str(JsonNode conf, string path) => YamlJson.At(conf, path)?.GetValue<string>();

    private static bool Bool(JsonNode conf, string path) => YamlJson.At(conf, path)!.GetValue<bool>();
}
