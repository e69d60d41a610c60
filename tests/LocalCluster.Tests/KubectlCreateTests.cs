using System.Text;
using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// `kubectl create <kind>` sends protobuf (Content-Type application/vnd.kubernetes.protobuf, Accept
/// application/vnd.kubernetes.protobuf,application/json) and never retries as JSON; these must work as on a real
/// cluster. Expected objects are what each command documents (kubectl create --help) plus the defaults of
/// kube-api-emulation.md §14; messages are kube-apiserver's (§15).
/// </summary>
public sealed class KubectlCreateTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    Kubectl K => cluster.Kubectl;

    async Task<JsonObject> GetJsonAsync(params string[] args) =>
        JsonNode.Parse(await K.OkAsync([.. args, "-o", "json"]))!.AsObject();

    [Fact]
    public async Task Create_namespace_is_defaulted_like_kube_apiserver()
    {
        Assert.Equal("namespace/team-a created", (await K.OkAsync("create", "namespace", "team-a")).Trim());
        var ns = await GetJsonAsync("get", "namespace", "team-a");
        Assert.Equal("team-a", (string?)ns["metadata"]?["labels"]?["kubernetes.io/metadata.name"]);
        Assert.Equal("Active", (string?)ns["status"]?["phase"]);
        var again = await K.RunAsync("create", "namespace", "team-a");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Error from server (AlreadyExists): namespaces \"team-a\" already exists", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_secret_generic_stores_the_literal_base64_encoded()
    {
        await K.OkAsync("create", "namespace", "secrets-ns");
        Assert.Equal("secret/db-pass created", (await K.OkAsync("create", "secret", "generic", "db-pass", "--from-literal=password=s3cr3t", "-n", "secrets-ns")).Trim());
        var secret = await GetJsonAsync("get", "secret", "db-pass", "-n", "secrets-ns");
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cr3t")), (string?)secret["data"]?["password"]);
        Assert.Equal("Opaque", (string?)secret["type"]);
    }

    [Fact]
    public async Task Create_configmap_serviceaccount_role_and_rolebinding()
    {
        await K.OkAsync("create", "namespace", "rbac-ns");
        await K.OkAsync("create", "configmap", "settings", "--from-literal=mode=strict", "--from-literal=level=2", "-n", "rbac-ns");
        await K.OkAsync("create", "serviceaccount", "operator", "-n", "rbac-ns");
        await K.OkAsync("create", "role", "reader", "--verb=get,list", "--resource=configmaps,secrets", "--resource-name=settings", "-n", "rbac-ns");
        await K.OkAsync("create", "rolebinding", "read", "--role=reader", "--serviceaccount=rbac-ns:operator", "--user=alice", "-n", "rbac-ns");
        await K.OkAsync("create", "clusterrolebinding", "ops-view", "--clusterrole=view", "--group=ops");

        var cm = await GetJsonAsync("get", "configmap", "settings", "-n", "rbac-ns");
        Assert.Equal("strict", (string?)cm["data"]?["mode"]);
        Assert.Equal("2", (string?)cm["data"]?["level"]);
        Assert.Equal("operator", (string?)(await GetJsonAsync("get", "serviceaccount", "operator", "-n", "rbac-ns"))["metadata"]?["name"]);

        var rule = (await GetJsonAsync("get", "role", "reader", "-n", "rbac-ns"))["rules"]![0]!;
        Assert.Equal(["get", "list"], rule["verbs"]!.AsArray().Select(v => (string?)v));
        Assert.Equal(["configmaps", "secrets"], rule["resources"]!.AsArray().Select(v => (string?)v));
        Assert.Equal(["settings"], rule["resourceNames"]!.AsArray().Select(v => (string?)v));
        Assert.Equal([""], rule["apiGroups"]!.AsArray().Select(v => (string?)v));

        var binding = await GetJsonAsync("get", "rolebinding", "read", "-n", "rbac-ns");
        Assert.Equal("Role", (string?)binding["roleRef"]?["kind"]);
        Assert.Equal("reader", (string?)binding["roleRef"]?["name"]);
        var subjects = binding["subjects"]!.AsArray().Select(s => $"{s?["kind"]}:{s?["namespace"]}:{s?["name"]}").ToList();
        Assert.Contains("ServiceAccount:rbac-ns:operator", subjects);
        Assert.Contains("User::alice", subjects);
        Assert.Equal("Group", (string?)(await GetJsonAsync("get", "clusterrolebinding", "ops-view"))["subjects"]?[0]?["kind"]);
    }

    [Fact]
    public async Task Create_service_clusterip_and_pdb()
    {
        await K.OkAsync("create", "namespace", "svc-ns");
        await K.OkAsync("create", "service", "clusterip", "web", "--tcp=80:8080", "-n", "svc-ns");
        var svc = await GetJsonAsync("get", "service", "web", "-n", "svc-ns");
        var port = svc["spec"]!["ports"]![0]!;
        Assert.Equal(80, (int?)port["port"]);
        Assert.Equal(8080, (int?)port["targetPort"]);
        Assert.Equal("TCP", (string?)port["protocol"]);
        Assert.Equal("web", (string?)svc["spec"]?["selector"]?["app"]);
        Assert.StartsWith("10.", (string?)svc["spec"]?["clusterIP"], StringComparison.Ordinal);

        await K.OkAsync("create", "pdb", "web", "--selector=app=web", "--min-available=50%", "-n", "svc-ns");
        var pdb = await GetJsonAsync("get", "pdb", "web", "-n", "svc-ns");
        Assert.Equal("50%", (string?)pdb["spec"]?["minAvailable"]);
        Assert.Equal("web", (string?)pdb["spec"]?["selector"]?["matchLabels"]?["app"]);
    }

    [Fact]
    public async Task The_requests_really_were_protobuf()
    {
        await K.OkAsync("create", "namespace", "proto-check");
        var record = cluster.Server.AuditTrail.Records.Last(r => r.Resource == "namespaces" && r.Verb == "create" && r.Code == 201);
        Assert.Equal("application/vnd.kubernetes.protobuf", record.ContentType);
    }
}
