using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// What kube-apiserver refuses at admission, through the real kubectl: object names by kind
/// (k8s.io/apimachinery validation texts), the HipaaMongo CRD's CEL with kube's has() and quantity library,
/// transition rules on update, and defaults applied before validation.
/// </summary>
public sealed class AdmissionSemanticsTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    const string Subdomain =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    Kubectl K => cluster.Kubectl;

    async Task<string> ReadyAsync(string ns)
    {
        await K.ApplyAsync(Manifests.Crd);
        await K.OkAsync("wait", "--for=condition=Established", "crd/hipaamongos.hipaa.mongooperator.io", "--timeout=30s");
        await K.ApplyAsync(Manifests.Namespace(ns));
        return ns;
    }

    static string WithSpec(string ns, string name, Action<JsonObject> change)
    {
        var obj = JsonNode.Parse(Manifests.HipaaMongo(ns, name))!.AsObject();
        change(obj["spec"]!.AsObject());
        return obj.ToJsonString();
    }

    async Task<Kubectl.Result> RefusedAsync(string manifest, params string[] args)
    {
        var result = await K.RunWithInputAsync(manifest, args.Length > 0 ? args : ["apply", "-f", "-"]);
        Assert.NotEqual(0, result.ExitCode);
        return result;
    }

    [Fact]
    public async Task A_custom_resource_name_that_is_not_a_dns_subdomain_is_refused_with_kubes_text()
    {
        var ns = await ReadyAsync("names-cr");
        var result = await RefusedAsync(Manifests.HipaaMongo(ns, "phi-dbé"), "create", "-f", "-");
        Assert.Contains($"The HipaaMongo \"phi-dbé\" is invalid: metadata.name: Invalid value: \"phi-dbé\": {Subdomain}", result.Stderr);
        Assert.Contains("NotFound", (await K.RunAsync("get", "hm", "phi-dbé", "-n", ns)).Stderr);
    }

    [Theory]
    [InlineData("namespace", "a.b", "", "metadata.name: Invalid value: \"a.b\": must not contain dots")]
    [InlineData("service", "0db", "--tcp=80", "metadata.name: Invalid value: \"0db\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character")]
    [InlineData("configmap", "Upper", "", "metadata.name: Invalid value: \"Upper\": a lowercase RFC 1123 subdomain")]
    public async Task Built_in_names_follow_the_rule_of_their_kind(string kind, string name, string extra, string expected)
    {
        string[] args = kind == "service" ? ["create", "service", "clusterip", name, extra] : ["create", kind, name];
        var result = await K.RunAsync(args);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
    }

    [Fact]
    public async Task A_service_name_with_a_leading_letter_and_a_dotted_configmap_name_are_accepted()
    {
        await K.OkAsync("create", "service", "clusterip", "db0", "--tcp=80");
        await K.OkAsync("create", "configmap", "a.b");
    }

    [Fact]
    public async Task Selectors_that_match_everything_are_refused_by_the_crds_cel()
    {
        var ns = await ReadyAsync("selectors");
        var both = await RefusedAsync(WithSpec(ns, "both", s => s["network"] = JsonNode.Parse("""{"allowedClients":[{"podSelector":{},"namespaceSelector":{}}]}""")));
        Assert.Contains("spec.network.allowedClients[0].namespaceSelector: Invalid value: \"object\": namespaceSelector matches every namespace", both.Stderr);
        Assert.Contains("spec.network.allowedClients[0].podSelector: Invalid value: \"object\": podSelector matches every pod", both.Stderr);

        var exists = await RefusedAsync(WithSpec(ns, "exists", s => s["network"] = JsonNode.Parse(
            """{"allowedClients":[{"namespaceSelector":{"matchExpressions":[{"key":"kubernetes.io/metadata.name","operator":"Exists"}]},"podSelector":{"matchLabels":{"app":"api"}}}]}""")));
        Assert.Contains("namespaceSelector matches every namespace", exists.Stderr);

        var notExists = await RefusedAsync(WithSpec(ns, "not-exists", s => s["network"] = JsonNode.Parse(
            """{"allowedClients":[{"namespaceSelector":{"matchExpressions":[{"key":"team","operator":"DoesNotExist"}]}}]}""")));
        Assert.Contains("namespaceSelector matches every namespace", notExists.Stderr);

        await K.ApplyAsync(WithSpec(ns, "named", s => s["network"] = JsonNode.Parse(
            """{"allowedClients":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"ehr"}},"podSelector":{"matchLabels":{"app":"api"}}}]}""")));
    }

    [Fact]
    public async Task Has_is_true_for_a_present_empty_selector_as_on_kube_apiserver()
    {
        // Were has(self.podSelector) false for {}, the entry rule would fail too ("needs a namespaceSelector, ...").
        var ns = await ReadyAsync("has-empty");
        var result = await RefusedAsync(WithSpec(ns, "a", s => s["network"] = JsonNode.Parse("""{"allowedClients":[{"podSelector":{}}]}""")));
        Assert.Contains("spec.network.allowedClients[0].podSelector: Invalid value: \"object\": podSelector matches every pod", result.Stderr);
        Assert.DoesNotContain("needs a namespaceSelector", result.Stderr);
    }

    [Fact]
    public async Task A_version_downgrade_and_a_storage_shrink_are_refused_on_update()
    {
        var ns = await ReadyAsync("transitions");
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "a"));
        var downgrade = await K.RunAsync("patch", "hm", "a", "-n", ns, "--type", "merge", "-p", """{"spec":{"version":"7.0.14"}}""");
        Assert.NotEqual(0, downgrade.ExitCode);
        Assert.Contains("spec.version: Invalid value: \"string\": version downgrade from 8.0.4 to 7.0.14 is refused: downgrades need a feature-compatibility rollback done by hand", downgrade.Stderr);

        var shrink = await K.RunAsync("patch", "hm", "a", "-n", ns, "--type", "merge", "-p", """{"spec":{"storage":{"size":"40Gi"}}}""");
        Assert.NotEqual(0, shrink.ExitCode);
        Assert.Contains("spec.storage.size: Invalid value: \"object\": storage.size cannot shrink (from 50Gi to 40Gi)", shrink.Stderr);

        await K.OkAsync("patch", "hm", "a", "-n", ns, "--type", "merge", "-p", """{"spec":{"storage":{"size":"51200Mi"},"version":"8.0.3"}}""");
        Assert.Equal("51200Mi", await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "jsonpath={.spec.storage.size}"));
    }

    [Fact]
    public async Task Defaults_are_applied_before_validation_so_an_omitted_field_is_judged_by_its_default()
    {
        // members defaults to 3; from 7, an update that omits it is a step of four and the transition rule sees 3.
        var ns = await ReadyAsync("default-order");
        await K.ApplyAsync(WithSpec(ns, "a", s => s["members"] = 7));
        var live = JsonNode.Parse(await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "json"))!.AsObject();
        live["spec"]!.AsObject().Remove("members");
        live.Remove("status");
        var result = await RefusedAsync(live.ToJsonString(), "replace", "-f", "-");
        Assert.Contains("spec.members: Invalid value: \"integer\": members change by one step at a time (3 -> 5 -> 7, or back)", result.Stderr);
    }
}
