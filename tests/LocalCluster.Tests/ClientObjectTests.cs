using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>The real KubernetesClient against the server: object lifecycle semantics of doc §7, §8 and §15.</summary>
public sealed class ClientObjectTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    Kubernetes Client => cluster.Client;

    // The project's HipaaMongo CRD, once per server: several tests of this class need it.
    async Task InstallCrdAsync()
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(Manifests.Crd);
        try
        {
            await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict)
        {
            // Installed by another test of this class.
        }
    }

    async Task<string> NamespaceAsync(string name)
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    static V1ConfigMap ConfigMap(string name, string value = "v") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, string> { ["key"] = value },
    };

    static async Task<JsonObject> StatusOfAsync(Func<Task> call, HttpStatusCode expected)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(expected, e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!.AsObject();
        Assert.Equal("Status", (string?)status["kind"]);
        Assert.Equal("Failure", (string?)status["status"]);
        Assert.Equal((int)expected, (int)status["code"]!);
        return status;
    }

    // kube-apiserver answers an immediate delete with the object where the registry sets ReturnDeletedObject
    // (pods, service accounts, storage classes) and with a Success Status elsewhere (configmaps).
    [Fact]
    public async Task An_immediate_delete_answers_with_the_object_only_where_the_registry_returns_it()
    {
        var ns = await NamespaceAsync("delete-replies");
        var pod = await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        }, ns);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("c"), ns);

        var deletedPod = await Client.CoreV1.DeleteNamespacedPodAsync("p", ns);
        var deletedMap = await Client.CoreV1.DeleteNamespacedConfigMapAsync("c", ns);

        Assert.Equal("Pod", deletedPod.Kind);
        Assert.Equal(pod.Metadata.Uid, deletedPod.Metadata.Uid);
        Assert.Equal("Status", deletedMap.Kind);
        Assert.Equal("Success", deletedMap.Status);
    }

    [Fact]
    public async Task Crud_with_real_not_found_already_exists_and_conflict_bodies()
    {
        var ns = await NamespaceAsync("crud");
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        Assert.False(string.IsNullOrEmpty(created.Metadata.Uid));
        Assert.Null(created.Metadata.Generation);

        var exists = await StatusOfAsync(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns), HttpStatusCode.Conflict);
        Assert.Equal("AlreadyExists", (string?)exists["reason"]);
        Assert.Equal("configmaps \"a\" already exists", (string?)exists["message"]);

        var stale = created.Metadata.ResourceVersion;
        created.Data["key"] = "w";
        var updated = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", ns);
        Assert.True(long.Parse(updated.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(stale, System.Globalization.CultureInfo.InvariantCulture));

        created.Metadata.ResourceVersion = stale;
        var conflict = await StatusOfAsync(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", ns), HttpStatusCode.Conflict);
        Assert.Equal("Conflict", (string?)conflict["reason"]);
        Assert.Equal("Operation cannot be fulfilled on configmaps \"a\": the object has been modified; please apply your changes to the latest version and try again", (string?)conflict["message"]);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("a", ns);
        var missing = await StatusOfAsync(() => Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns), HttpStatusCode.NotFound);
        Assert.Equal("NotFound", (string?)missing["reason"]);
        Assert.Equal("configmaps \"a\" not found", (string?)missing["message"]);
    }

    [Fact]
    public async Task Create_in_a_missing_namespace_is_404_namespace_not_found()
    {
        var status = await StatusOfAsync(() => Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), "nope"), HttpStatusCode.NotFound);
        Assert.Equal("namespaces \"nope\" not found", (string?)status["message"]);
    }

    [Fact]
    public async Task A_no_op_update_keeps_the_resource_version()
    {
        var ns = await NamespaceAsync("noop");
        var created = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("a"), ns);
        var again = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "a", ns);
        Assert.Equal(created.Metadata.ResourceVersion, again.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Server_side_apply_twice_gives_the_same_resource_version_and_records_the_manager()
    {
        var ns = await NamespaceAsync("ssa-cs");
        var body = $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"{{{ns}}}"},"data":{"k":"v"}}""";
        var first = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "a", ns, fieldManager: "hipaa-mongo-operator", force: true);
        var second = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(body, V1Patch.PatchType.ApplyPatch), "a", ns, fieldManager: "hipaa-mongo-operator", force: true);
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);
        var entry = Assert.Single(second.Metadata.ManagedFields);
        Assert.Equal("hipaa-mongo-operator", entry.Manager);
        Assert.Equal("Apply", entry.Operation);
        Assert.Equal("FieldsV1", entry.FieldsType);
    }

    [Fact]
    public async Task Statefulset_generation_moves_only_with_spec_and_selector_is_immutable()
    {
        var ns = await NamespaceAsync("gen");
        var sts = new V1StatefulSet
        {
            Metadata = new V1ObjectMeta { Name = "db" },
            Spec = new V1StatefulSetSpec
            {
                ServiceName = "db",
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "db" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "db" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "mongod", Image = "mongo:8.0" }] },
                },
            },
        };
        var created = await Client.AppsV1.CreateNamespacedStatefulSetAsync(sts, ns);
        Assert.Equal(1, created.Metadata.Generation);
        // Defaults of doc §14.
        Assert.Equal(1, created.Spec.Replicas);
        Assert.Equal("OrderedReady", created.Spec.PodManagementPolicy);
        Assert.Equal("IfNotPresent", created.Spec.Template.Spec.Containers[0].ImagePullPolicy);
        Assert.Equal("ClusterFirst", created.Spec.Template.Spec.DnsPolicy);

        created.Metadata.Labels = new Dictionary<string, string> { ["x"] = "y" };
        var labelled = await Client.AppsV1.ReplaceNamespacedStatefulSetAsync(created, "db", ns);
        Assert.Equal(1, labelled.Metadata.Generation);

        labelled.Spec.Replicas = 3;
        var scaled = await Client.AppsV1.ReplaceNamespacedStatefulSetAsync(labelled, "db", ns);
        Assert.Equal(2, scaled.Metadata.Generation);

        scaled.Spec.ServiceName = "other";
        var invalid = await StatusOfAsync(() => Client.AppsV1.ReplaceNamespacedStatefulSetAsync(scaled, "db", ns), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Invalid", (string?)invalid["reason"]);
        Assert.StartsWith("StatefulSet.apps \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than", (string?)invalid["message"]);
    }

    [Fact]
    public async Task Finalizers_delay_deletion_until_removed()
    {
        var ns = await NamespaceAsync("fin");
        var cm = ConfigMap("a");
        cm.Metadata.Finalizers = ["example.com/hold"];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        await Client.CoreV1.DeleteNamespacedConfigMapAsync("a", ns);
        var deleting = await Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns);
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);

        deleting.Metadata.Finalizers.Add("example.com/another");
        var refused = await StatusOfAsync(() => Client.CoreV1.ReplaceNamespacedConfigMapAsync(deleting, "a", ns), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("no new finalizers can be added if the object is being deleted", (string?)refused["message"]);

        var dependent = ConfigMap("child");
        dependent.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "a", Uid = deleting.Metadata.Uid }];
        await Client.CoreV1.CreateNamespacedConfigMapAsync(dependent, ns);

        var patch = new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch);
        await Client.CoreV1.PatchNamespacedConfigMapAsync(patch, "a", ns);
        await StatusOfAsync(() => Client.CoreV1.ReadNamespacedConfigMapAsync("a", ns), HttpStatusCode.NotFound);
        // Removing the last finalizer removed the owner, so the garbage collector takes its dependent too.
        await StatusOfAsync(() => Client.CoreV1.ReadNamespacedConfigMapAsync("child", ns), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Garbage_collection_follows_owner_uids()
    {
        var ns = await NamespaceAsync("gc-cs");
        var owner = await Client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("owner"), ns);
        var dependent = new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = "dep",
                OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true, Controller = true }],
            },
            StringData = new Dictionary<string, string> { ["k"] = "v" },
        };
        var created = await Client.CoreV1.CreateNamespacedSecretAsync(dependent, ns);
        Assert.Equal("Opaque", created.Type);
        Assert.Equal(Convert.ToBase64String("v"u8.ToArray()), Convert.ToBase64String(created.Data["k"]));

        var twoControllers = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta
            {
                Name = "two",
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, Controller = true },
                    new V1OwnerReference { ApiVersion = "v1", Kind = "Secret", Name = "dep", Uid = created.Metadata.Uid, Controller = true },
                ],
            },
        };
        var refused = await StatusOfAsync(() => Client.CoreV1.CreateNamespacedConfigMapAsync(twoControllers, ns), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Only one reference can have Controller set to true", (string?)refused["message"]);

        await Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", ns, new V1DeleteOptions { PropagationPolicy = "Foreground" });
        await StatusOfAsync(() => Client.CoreV1.ReadNamespacedSecretAsync("dep", ns), HttpStatusCode.NotFound);
        await StatusOfAsync(() => Client.CoreV1.ReadNamespacedConfigMapAsync("owner", ns), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Label_and_field_selectors_filter_lists()
    {
        var ns = await NamespaceAsync("sel");
        foreach (var (name, tier) in new[] { ("a", "gold"), ("b", "silver"), ("c", "gold") })
        {
            var cm = ConfigMap(name);
            cm.Metadata.Labels = new Dictionary<string, string> { ["tier"] = tier };
            await Client.CoreV1.CreateNamespacedConfigMapAsync(cm, ns);
        }
        var gold = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "tier in (gold)");
        Assert.Equal(["a", "c"], gold.Items.Select(i => i.Metadata.Name).Order());
        var notGold = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: "tier!=gold");
        Assert.Equal(["b"], notGold.Items.Select(i => i.Metadata.Name));
        var byName = await Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "metadata.name=c");
        Assert.Equal(["c"], byName.Items.Select(i => i.Metadata.Name));
        var bad = await StatusOfAsync(() => Client.CoreV1.ListNamespacedConfigMapAsync(ns, fieldSelector: "spec.foo=x"), HttpStatusCode.BadRequest);
        Assert.Equal("field label not supported: spec.foo", (string?)bad["message"]);

        await Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync(ns, labelSelector: "tier=gold");
        var left = await Client.CoreV1.ListNamespacedConfigMapAsync(ns);
        Assert.Equal(["b"], left.Items.Select(i => i.Metadata.Name));
    }

    [Fact]
    public async Task Custom_resource_generation_ignores_metadata_and_status()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("crgen");
        var body = JsonNode.Parse(KubernetesJson.Serialize(KubernetesYaml.Deserialize<object>(Manifests.HipaaMongo(ns, "a"))))!;
        var created = ToNode(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Manifests.Group, Manifests.Version, ns, Manifests.Plural));
        Assert.Equal(1, (int)created["metadata"]!["generation"]!);

        var labelled = ToNode(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"metadata":{"labels":{"a":"b"}}}""", V1Patch.PatchType.MergePatch), Manifests.Group, Manifests.Version, ns, Manifests.Plural, "a"));
        Assert.Equal(1, (int)labelled["metadata"]!["generation"]!);

        var status = ToNode(await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch("""{"status":{"observedGeneration":1}}""", V1Patch.PatchType.MergePatch), Manifests.Group, Manifests.Version, ns, Manifests.Plural, "a"));
        Assert.Equal(1, (int)status["metadata"]!["generation"]!);
        Assert.Equal(1, (int)status["status"]!["observedGeneration"]!);

        var specChanged = ToNode(await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"version":"8.0.9"},"status":{"observedGeneration":7}}""", V1Patch.PatchType.MergePatch), Manifests.Group, Manifests.Version, ns, Manifests.Plural, "a"));
        Assert.Equal(2, (int)specChanged["metadata"]!["generation"]!);
        // The main endpoint keeps the stored status (status is a subresource).
        Assert.Equal(1, (int)specChanged["status"]!["observedGeneration"]!);

        var noRv = specChanged.DeepClone().AsObject();
        noRv["metadata"]!.AsObject().Remove("resourceVersion");
        var invalid = await StatusOfAsync(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(noRv, Manifests.Group, Manifests.Version, ns, Manifests.Plural, "a"), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", (string?)invalid["message"]);
    }

    [Fact]
    public async Task Built_in_quantities_are_canonicalised_and_updates_record_the_user_agent_manager()
    {
        var ns = await NamespaceAsync("quantities");
        var pvc = new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "data" },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new ResourceQuantity("1024Mi") } },
            },
        };
        await Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(pvc, ns);
        using var http = RawHttp.Create(cluster.Server);
        var raw = await RawHttp.SendAsync(http, HttpMethod.Get, $"/api/v1/namespaces/{ns}/persistentvolumeclaims/data");
        Assert.Equal("1Gi", (string?)raw.Body!["spec"]!["resources"]!["requests"]!["storage"]);
        Assert.Equal("Filesystem", (string?)raw.Body!["spec"]!["volumeMode"]);
        var entry = raw.Body!["metadata"]!["managedFields"]!.AsArray().Single()!;
        Assert.Equal("kubernetes-csharp", (string?)entry["manager"]);
        Assert.Equal("Update", (string?)entry["operation"]);
        Assert.Equal("v1", (string?)entry["apiVersion"]);
    }

    [Fact]
    public async Task A_crd_whose_cel_rule_does_not_compile_is_refused()
    {
        var crd = JsonNode.Parse(KubernetesJson.Serialize(KubernetesYaml.Deserialize<object>("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.example.com}
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        x-kubernetes-validations:
                        - rule: "self.size( >"
                        properties:
                          size: {type: integer}
            """)))!;
        using var http = RawHttp.Create(cluster.Server);
        var reply = await RawHttp.SendAsync(http, HttpMethod.Post, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd.ToJsonString());
        Assert.Equal(422, reply.Code);
        Assert.Equal("Invalid", (string?)reply.Body!["reason"]);
        Assert.StartsWith("CustomResourceDefinition.apiextensions.k8s.io \"widgets.example.com\" is invalid: ", (string?)reply.Body!["message"]);
        var missing = await RawHttp.SendAsync(http, HttpMethod.Get, "/apis/example.com/v1/namespaces/default/widgets");
        Assert.Equal(404, missing.Code);
    }

    [Fact]
    public async Task Server_side_apply_to_the_status_subresource_records_a_status_apply_entry()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("status-apply");
        var body = JsonNode.Parse(KubernetesJson.Serialize(KubernetesYaml.Deserialize<object>(Manifests.HipaaMongo(ns, "a"))))!;
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Manifests.Group, Manifests.Version, ns, Manifests.Plural);
        var status = $$$"""{"apiVersion":"hipaa.mongooperator.io/v1alpha1","kind":"HipaaMongo","metadata":{"name":"a","namespace":"{{{ns}}}"},"status":{"observedGeneration":1}}""";
        var applied = ToNode(await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(status, V1Patch.PatchType.ApplyPatch),
            Manifests.Group, Manifests.Version, ns, Manifests.Plural, "a", fieldManager: "hipaa-mongo-operator", force: true));
        Assert.Equal(1, (int)applied["status"]!["observedGeneration"]!);
        var entries = applied["metadata"]!["managedFields"]!.AsArray();
        Assert.Contains(entries, e => (string?)e!["manager"] == "hipaa-mongo-operator" && (string?)e["operation"] == "Apply" && (string?)e["subresource"] == "status");
    }

    [Fact]
    public async Task Root_CEL_rules_see_metadata_name_as_in_kube_apiserver()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("rootcel");
        // The CRD's root rule `size(self.metadata.name) <= 40` must be evaluated, not skipped.
        var tooLong = new string('a', 41);
        var body = JsonNode.Parse(KubernetesJson.Serialize(KubernetesYaml.Deserialize<object>(Manifests.HipaaMongo(ns, tooLong))))!;
        var refused = await StatusOfAsync(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Manifests.Group, Manifests.Version, ns, Manifests.Plural), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("metadata.name must be at most 40 characters", (string?)refused["message"]);

        var fits = JsonNode.Parse(KubernetesJson.Serialize(KubernetesYaml.Deserialize<object>(Manifests.HipaaMongo(ns, new string('a', 40)))))!;
        var created = ToNode(await Client.CustomObjects.CreateNamespacedCustomObjectAsync(fits, Manifests.Group, Manifests.Version, ns, Manifests.Plural));
        // The rule's view of metadata is only for evaluation: the stored metadata is the whole, real one.
        Assert.NotNull(created["metadata"]!["uid"]);
        Assert.Equal(ns, (string?)created["metadata"]!["namespace"]);
    }

    static JsonNode ToNode(object o) => JsonNode.Parse(o is JsonElement e ? e.GetRawText() : JsonSerializer.Serialize(o))!;
}
