using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// OpenAPI schemas for built-in kinds, so `kubectl explain` works for them (doc §3). Expected descriptions are the
/// Kubernetes API's own (k8s.io/api core/v1 and apps/v1 types.go doc comments), which the models carry.
/// </summary>
public sealed class OpenApiBuiltinTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Explain_pod_spec_containers_lists_container_fields()
    {
        var output = await cluster.Kubectl.OkAsync("explain", "pod.spec.containers");
        Assert.Contains("KIND:       Pod", output, StringComparison.Ordinal);
        Assert.Contains("FIELD: containers <[]Container>", output, StringComparison.Ordinal);
        Assert.Contains("List of containers belonging to the pod.", output, StringComparison.Ordinal);
        Assert.Contains("  image\t<string>", output, StringComparison.Ordinal);
        Assert.Contains("  resources\t<ResourceRequirements>", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_statefulset_shows_group_kind_and_description()
    {
        var output = await cluster.Kubectl.OkAsync("explain", "statefulset");
        Assert.Contains("GROUP:      apps", output, StringComparison.Ordinal);
        Assert.Contains("KIND:       StatefulSet", output, StringComparison.Ordinal);
        Assert.Contains("StatefulSet represents a set of pods with consistent identities.", output, StringComparison.Ordinal);
        Assert.Contains("  spec\t<StatefulSetSpec>", output, StringComparison.Ordinal);
        var nested = await cluster.Kubectl.OkAsync("explain", "sts.spec.template.spec.containers.resources.limits");
        Assert.Contains("<map[string]Quantity>", nested, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_still_describes_the_crd()
    {
        await cluster.Kubectl.ApplyAsync(Manifests.Crd);
        await cluster.Kubectl.OkAsync("wait", "--for=condition=Established", "crd/hipaamongos.hipaa.mongooperator.io", "--timeout=30s");
        // A new discovery cache: another test of this class may have cached discovery before the CRD existed.
        var cache = Path.Combine(Path.GetTempPath(), "lc-explain-" + Guid.NewGuid().ToString("N"), "cache");
        var output = await new Kubectl(cluster.KubeconfigPath, cache).OkAsync("explain", "hm.spec");
        Directory.Delete(Path.GetDirectoryName(cache)!, recursive: true);
        Assert.Contains("KIND:       HipaaMongo", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_v2_is_served_as_json_with_gvk_tagged_definitions()
    {
        using var http = RawHttp.Create(cluster.Server);
        using var req = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var resp = await http.SendAsync(req);
        var doc = JsonNode.Parse(await resp.Content.ReadAsStringAsync())!;
        Assert.Equal("2.0", (string?)doc["swagger"]);
        var pod = doc["definitions"]!["io.k8s.api.core.v1.Pod"]!;
        Assert.Equal("Pod", (string?)pod["x-kubernetes-group-version-kind"]![0]!["kind"]);
        Assert.Equal("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
            (string?)pod["properties"]!["metadata"]!["allOf"]![0]!["$ref"]);
        Assert.NotNull(doc["definitions"]!["io.k8s.api.apps.v1.StatefulSetSpec"]);
        Assert.NotNull(doc["paths"]!["/apis/apps/v1/namespaces/{namespace}/statefulsets/{name}"]!["patch"]);
    }

    [Fact]
    public async Task OpenApi_v2_as_protobuf_is_not_acceptable()
    {
        using var http = RawHttp.Create(cluster.Server);
        using var req = new HttpRequestMessage(HttpMethod.Get, "/openapi/v2");
        req.Headers.TryAddWithoutValidation("Accept", "application/com.github.proto-openapi.spec.v2@v1.0+protobuf");
        using var resp = await http.SendAsync(req);
        Assert.Equal(406, (int)resp.StatusCode);
    }
}
