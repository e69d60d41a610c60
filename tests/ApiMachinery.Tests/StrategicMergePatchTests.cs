using static HipaaMongo.ApiMachinery.Tests.TestJson;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>
/// Cases from kubernetes.io "Update API Objects in Place Using kubectl patch" and the strategic-merge-patch
/// design doc (community/contributors/devel/sig-api-machinery/strategic-merge-patch.md).
/// </summary>
public class StrategicMergePatchTests
{
    private static readonly PatchSchema Deployment = PatchSchema.ForKind("apps", "v1", "Deployment");

    // deployment-patch.yaml from the kubectl patch task page.
    private const string PatchDemo = """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"patch-demo"},
         "spec":{"replicas":2,"selector":{"matchLabels":{"app":"nginx"}},
          "template":{"metadata":{"labels":{"app":"nginx"}},
           "spec":{"containers":[{"name":"patch-demo-ctr","image":"nginx"}],
            "tolerations":[{"effect":"NoSchedule","key":"dedicated","value":"test-team"}]}}}}
        """;

    [Fact]
    public void Containers_merge_by_name_as_in_the_patch_file_example()
    {
        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-2","image":"redis"}]}}}}""";
        var result = StrategicMergePatch.Apply(Parse(PatchDemo), Parse(patch), Deployment)!;
        Equal("""[{"name":"patch-demo-ctr","image":"nginx"},{"name":"patch-demo-ctr-2","image":"redis"}]""",
            result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Tolerations_have_no_patch_strategy_and_are_replaced()
    {
        var patch = """{"spec":{"template":{"spec":{"tolerations":[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]}}}}""";
        var result = StrategicMergePatch.Apply(Parse(PatchDemo), Parse(patch), Deployment)!;
        Equal("""[{"effect":"NoSchedule","key":"disktype","value":"ssd"}]""", result["spec"]!["template"]!["spec"]!["tolerations"]);
    }

    [Fact]
    public void Json_merge_patch_replaces_the_container_list_in_the_same_example()
    {
        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr-3","image":"gcr.io/google-samples/hello-app:2.0"}]}}}}""";
        var result = JsonMergePatch.Apply(Parse(PatchDemo), Parse(patch))!;
        Equal("""[{"name":"patch-demo-ctr-3","image":"gcr.io/google-samples/hello-app:2.0"}]""", result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void RetainKeys_clears_rollingUpdate_when_switching_to_Recreate()
    {
        var original = """{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}}""";
        var withRetain = StrategicMergePatch.Apply(Parse(original), Parse("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}}"""), Deployment);
        Equal("""{"spec":{"strategy":{"type":"Recreate"}}}""", withRetain);

        // Without the directive the old rollingUpdate stays (the page shows the resulting validation error).
        var without = StrategicMergePatch.Apply(Parse(original), Parse("""{"spec":{"strategy":{"type":"Recreate"}}}"""), Deployment);
        Equal("""{"spec":{"strategy":{"type":"Recreate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}}}}""", without);
    }

    [Fact]
    public void Patch_delete_directive_removes_a_list_item_by_merge_key()
    {
        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"patch-demo-ctr","$patch":"delete"}]}}}}""";
        var result = StrategicMergePatch.Apply(Parse(PatchDemo), Parse(patch), Deployment)!;
        Equal("[]", result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Patch_replace_directive_in_a_list_replaces_the_whole_list()
    {
        var patch = """{"spec":{"template":{"spec":{"containers":[{"name":"x","image":"busybox"},{"$patch":"replace"}]}}}}""";
        var result = StrategicMergePatch.Apply(Parse(PatchDemo), Parse(patch), Deployment)!;
        Equal("""[{"name":"x","image":"busybox"}]""", result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Patch_replace_directive_in_a_map_replaces_the_map()
    {
        var original = """{"metadata":{"labels":{"a":"1","b":"2"}}}""";
        var result = StrategicMergePatch.Apply(Parse(original), Parse("""{"metadata":{"labels":{"c":"3","$patch":"replace"}}}"""), Deployment);
        Equal("""{"metadata":{"labels":{"c":"3"}}}""", result);
    }

    [Fact]
    public void Patch_delete_directive_in_a_map_deletes_the_map()
    {
        var original = """{"metadata":{"name":"a","labels":{"a":"1"}}}""";
        var result = StrategicMergePatch.Apply(Parse(original), Parse("""{"metadata":{"labels":{"$patch":"delete"}}}"""), Deployment);
        Equal("""{"metadata":{"name":"a"}}""", result);
    }

    [Fact]
    public void Finalizers_merge_as_a_set_and_deleteFromPrimitiveList_removes()
    {
        var original = """{"metadata":{"finalizers":["a","b"]}}""";
        Equal("""{"metadata":{"finalizers":["a","b","c"]}}""",
            StrategicMergePatch.Apply(Parse(original), Parse("""{"metadata":{"finalizers":["b","c"]}}"""), Deployment));
        Equal("""{"metadata":{"finalizers":["b"]}}""",
            StrategicMergePatch.Apply(Parse(original), Parse("""{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}"""), Deployment));
    }

    [Fact]
    public void OwnerReferences_merge_by_uid()
    {
        var original = """{"metadata":{"ownerReferences":[{"uid":"1","name":"a","kind":"HipaaMongo"}]}}""";
        var patch = """{"metadata":{"ownerReferences":[{"uid":"1","controller":true},{"uid":"2","name":"b"}]}}""";
        Equal("""{"metadata":{"ownerReferences":[{"uid":"1","name":"a","kind":"HipaaMongo","controller":true},{"uid":"2","name":"b"}]}}""",
            StrategicMergePatch.Apply(Parse(original), Parse(patch), PatchSchema.ForKind("", "v1", "ConfigMap")));
    }

    [Fact]
    public void Service_ports_merge_by_port_and_env_by_name()
    {
        var svc = PatchSchema.ForKind("", "v1", "Service");
        var original = """{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}""";
        Equal("""{"spec":{"ports":[{"port":80,"name":"web"},{"port":443,"name":"https"}]}}""",
            StrategicMergePatch.Apply(Parse(original), Parse("""{"spec":{"ports":[{"port":80,"name":"web"}]}}"""), svc));

        var pod = PatchSchema.ForKind("", "v1", "Pod");
        var podOriginal = """{"spec":{"containers":[{"name":"c","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}]}]}}""";
        var podPatch = """{"spec":{"containers":[{"name":"c","env":[{"name":"B","value":"3"}]}]}}""";
        Equal("""{"spec":{"containers":[{"name":"c","env":[{"name":"A","value":"1"},{"name":"B","value":"3"}]}]}}""",
            StrategicMergePatch.Apply(Parse(podOriginal), Parse(podPatch), pod));
    }

    [Fact]
    public void Null_deletes_a_key_and_missing_merge_key_is_an_error()
    {
        Equal("""{"spec":{"replicas":2}}""",
            StrategicMergePatch.Apply(Parse("""{"spec":{"replicas":2,"paused":true}}"""), Parse("""{"spec":{"paused":null}}"""), Deployment));
        var e = Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(
            Parse(PatchDemo), Parse("""{"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}}"""), Deployment));
        Assert.Contains("does not contain declared merge key: name", e.Message);
    }

    [Fact]
    public void SetElementOrder_orders_listed_items()
    {
        var original = """{"spec":{"template":{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"2"}]}}}}""";
        var patch = """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"b"},{"name":"a"}],"containers":[{"name":"a","image":"3"}]}}}}""";
        var result = StrategicMergePatch.Apply(Parse(original), Parse(patch), Deployment)!;
        Equal("""[{"name":"b","image":"2"},{"name":"a","image":"3"}]""", result["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Custom_resources_do_not_support_strategic_merge_and_fall_back_to_merge_patch()
    {
        var cr = PatchSchema.ForKind("hipaa.mongooperator.io", "v1alpha1", "HipaaMongo");
        Assert.False(cr.SupportsStrategicMerge);
        Assert.True(Deployment.SupportsStrategicMerge);
        Assert.StartsWith("the body of the request was in an unknown format", PatchSchema.StrategicMergeUnsupportedMessage);
        Equal("""{"spec":{"list":[3]}}""", StrategicMergePatch.Apply(Parse("""{"spec":{"list":[1,2]}}"""), Parse("""{"spec":{"list":[3]}}"""), cr));
    }

    [Fact]
    public void Unknown_patch_directive_is_rejected()
    {
        Assert.Throws<PatchException>(() => StrategicMergePatch.Apply(Parse("{}"), Parse("""{"metadata":{"$patch":"explode"}}"""), Deployment));
    }
}
