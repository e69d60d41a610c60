using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// dryRun=All as kube-apiserver serves it (create, update, merge patch, server-side apply): validation, defaulting
/// and admission run and the answer is the object as it would be stored, but nothing is stored, no watch event is
/// sent and no resourceVersion is used up. Through KubernetesClient and the real kubectl --dry-run=server.
/// </summary>
public sealed class DryRunTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    Kubernetes Client => cluster.Client;

    Kubectl K => cluster.Kubectl;

    async Task<string> ReadyAsync(string ns)
    {
        await K.ApplyAsync(Manifests.Crd);
        await K.OkAsync("wait", "--for=condition=Established", "crd/hipaamongos.hipaa.mongooperator.io", "--timeout=30s");
        await K.ApplyAsync(Manifests.Namespace(ns));
        return ns;
    }

    /// <summary>Runs the writes, then a real marker write; returns the names of every watch event up to the marker.</summary>
    async Task<List<string>> EventsAroundAsync(string ns, Func<Task> writes)
    {
        var from = (await Client.CoreV1.ListNamespacedConfigMapAsync(ns)).Metadata.ResourceVersion;
        using var http = RawHttp.Create(cluster.Server);
        using var req = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion={from}&timeoutSeconds=30");
        using var resp = await http.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(await resp.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        await writes();
        var marker = "marker-" + Guid.NewGuid().ToString("N")[..8];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = marker } }, ns);
        var seen = new List<string>();
        while (await reader.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            var name = (string?)JsonNode.Parse(line)?["object"]?["metadata"]?["name"] ?? "?";
            seen.Add(name);
            if (name == marker) return seen[..^1];
        }
        throw new InvalidOperationException("the watch ended before the marker");
    }

    [Fact]
    public async Task A_dry_run_create_answers_the_defaulted_object_and_stores_nothing()
    {
        var ns = await ReadyAsync("dry-create");
        V1Service? answered = null;
        var events = await EventsAroundAsync(ns, async () =>
            answered = await Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
            {
                Metadata = new V1ObjectMeta { Name = "db" },
                Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 27017 }] },
            }, ns, dryRun: "All"));
        Assert.Equal("TCP", answered!.Spec.Ports[0].Protocol); // defaulting ran
        Assert.Equal("ClusterIP", answered.Spec.Type);
        Assert.Null(answered.Metadata.ResourceVersion);
        Assert.Empty(events);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CoreV1.ReadNamespacedServiceAsync("db", ns));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task Dry_run_update_patch_and_apply_change_nothing_stored_and_send_no_event()
    {
        var ns = await ReadyAsync("dry-update");
        var stored = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "cfg" },
            Data = new Dictionary<string, string> { ["k"] = "v" },
        }, ns);
        var rv = stored.Metadata.ResourceVersion;
        V1ConfigMap? updated = null, patched = null, applied = null;
        var events = await EventsAroundAsync(ns, async () =>
        {
            var next = await Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", ns);
            next.Data["k"] = "updated";
            updated = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(next, "cfg", ns, dryRun: "All");
            patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(
                new V1Patch("""{"data":{"k":"patched"}}""", V1Patch.PatchType.MergePatch), "cfg", ns, dryRun: "All");
            applied = await Client.CoreV1.PatchNamespacedConfigMapAsync(
                new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"k":"applied"}}""", V1Patch.PatchType.ApplyPatch),
                "cfg", ns, fieldManager: "probe", force: true, dryRun: "All");
        });
        Assert.Equal(["updated", "patched", "applied"], new[] { updated, patched, applied }.Select(c => c!.Data["k"]));
        Assert.Contains(applied!.Metadata.ManagedFields, m => m.Manager == "probe");
        Assert.Empty(events);
        var live = await Client.CoreV1.ReadNamespacedConfigMapAsync("cfg", ns);
        Assert.Equal("v", live.Data["k"]);
        Assert.Equal(rv, live.Metadata.ResourceVersion);
        Assert.DoesNotContain(live.Metadata.ManagedFields, m => m.Manager == "probe");
    }

    [Fact]
    public async Task A_dry_run_still_validates_and_a_custom_resource_is_defaulted_by_its_schema()
    {
        var ns = await ReadyAsync("dry-cr");
        var body = JsonNode.Parse(Manifests.HipaaMongo(ns, "db"))!.AsObject();
        body["spec"]!.AsObject().Remove("members");
        var answer = await Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Manifests.Group, "v1alpha1", ns, Manifests.Plural, dryRun: "All");
        Assert.Equal(3, (int)JsonNode.Parse(KubernetesJson.Serialize(answer))!["spec"]!["members"]!);

        await K.ApplyAsync(Manifests.HipaaMongo(ns, "db"));
        var downgrade = await Assert.ThrowsAsync<HttpOperationException>(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"version":"7.0.14"}}""", V1Patch.PatchType.MergePatch), Manifests.Group, "v1alpha1", ns, Manifests.Plural, "db", dryRun: "All"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, downgrade.Response.StatusCode);
        Assert.Contains("version downgrade from 8.0.4 to 7.0.14 is refused", downgrade.Response.Content);
    }

    [Fact]
    public async Task Kubectl_dry_run_server_shows_the_server_defaulted_object_without_storing_it()
    {
        var ns = await ReadyAsync("dry-kubectl");
        var created = await K.RunWithInputAsync(Manifests.HipaaMongo(ns, "db"), "apply", "-f", "-", "--dry-run=server");
        Assert.Equal(0, created.ExitCode);
        Assert.Contains("hipaamongo.hipaa.mongooperator.io/db created (server dry run)", created.Stdout);
        Assert.Contains("NotFound", (await K.RunAsync("get", "hm", "db", "-n", ns)).Stderr);

        var shown = await K.RunWithInputAsync(Manifests.HipaaMongo(ns, "db"), "apply", "--server-side", "-f", "-", "--dry-run=server", "-o", "json");
        Assert.Equal(0, shown.ExitCode);
        var obj = JsonNode.Parse(shown.Stdout)!;
        Assert.Equal("Retain", (string?)obj["spec"]!["deletionPolicy"]); // a schema default the manifest omits
        Assert.Contains("NotFound", (await K.RunAsync("get", "hm", "db", "-n", ns)).Stderr);
    }
}
