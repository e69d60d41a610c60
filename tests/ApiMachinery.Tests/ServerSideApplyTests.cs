using System.Text.Json.Nodes;
using static HipaaMongo.ApiMachinery.Tests.TestJson;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>
/// Server-side apply as documented on kubernetes.io "Server-Side Apply" (field management, conflicts, force,
/// removal of omitted fields, shared ownership) and the FieldsV1 encoding of metav1.ManagedFieldsEntry.
/// </summary>
public class ServerSideApplyTests
{
    private const string T1 = "2024-01-01T00:00:00Z";
    private const string T2 = "2024-01-02T00:00:00Z";
    private static readonly PatchSchema Sts = PatchSchema.ForKind("apps", "v1", "StatefulSet");
    private static readonly PatchSchema ConfigMap = PatchSchema.ForKind("", "v1", "ConfigMap");

    private const string StsConfig = """
        {"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db","namespace":"ns","labels":{"app":"db"}},
         "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"mongod","image":"mongo:7"}]}}}}
        """;

    private static JsonObject Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().OfType<JsonObject>().Single(e => Json.AsString(e["manager"]) == manager);

    [Fact]
    public void Create_records_an_Apply_entry_with_keyed_list_items()
    {
        var result = ServerSideApply.Apply(null, Obj(StsConfig), "hipaa-mongo-operator", false, Sts, T1);
        Assert.False(result.HasConflicts);
        var entry = Entry(result.Merged, "hipaa-mongo-operator");
        Assert.Equal("Apply", Json.AsString(entry["operation"]));
        Assert.Equal("apps/v1", Json.AsString(entry["apiVersion"]));
        Assert.Equal(T1, Json.AsString(entry["time"]));
        Assert.Equal("FieldsV1", Json.AsString(entry["fieldsType"]));
        Equal("""
            {"f:metadata":{"f:labels":{"f:app":{}}},
             "f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"mongod\"}":{".":{},"f:image":{},"f:name":{}}}}}}}
            """, entry["fieldsV1"]);
    }

    [Fact]
    public void Reapplying_the_same_configuration_changes_nothing()
    {
        var first = ServerSideApply.Apply(null, Obj(StsConfig), "op", false, Sts, T1).Merged;
        var second = ServerSideApply.Apply(first, Obj(StsConfig), "op", false, Sts, T2);
        Assert.False(second.HasConflicts);
        Assert.True(Json.DeepEquals(first, second.Merged), second.Merged.ToJsonString());
    }

    [Fact]
    public void Different_value_for_a_field_another_manager_owns_is_a_conflict_unless_forced()
    {
        var live = ServerSideApply.Apply(null, Obj(StsConfig), "op", false, Sts, T1).Merged;
        var other = Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"replicas":5}}""");

        var refused = ServerSideApply.Apply(live, other, "kubectl", false, Sts, T2);
        var conflict = Assert.Single(refused.Conflicts);
        Assert.Equal(".spec.replicas", conflict.Field);
        Assert.Equal("conflict with \"op\"", conflict.Message);
        Assert.Equal("Apply failed with 1 conflict: conflict with \"op\": .spec.replicas", refused.ConflictMessage);
        Assert.True(Json.DeepEquals(live, refused.Merged));

        var forced = ServerSideApply.Apply(live, other, "kubectl", true, Sts, T2);
        Assert.False(forced.HasConflicts);
        Assert.Equal(5, forced.Merged["spec"]!["replicas"]!.GetValue<int>());
        Assert.False(Entry(forced.Merged, "op")["fieldsV1"]!["f:spec"]!.AsObject().ContainsKey("f:replicas"));
        Equal("""{"f:spec":{"f:replicas":{}}}""", Entry(forced.Merged, "kubectl")["fieldsV1"]);
    }

    [Fact]
    public void Same_value_is_shared_ownership_without_conflict()
    {
        var live = ServerSideApply.Apply(null, Obj(StsConfig), "op", false, Sts, T1).Merged;
        var same = Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"replicas":3}}""");
        var result = ServerSideApply.Apply(live, same, "kubectl", false, Sts, T2);
        Assert.False(result.HasConflicts);
        Assert.NotNull(Entry(result.Merged, "op")["fieldsV1"]!["f:spec"]!["f:replicas"]);
        Assert.NotNull(Entry(result.Merged, "kubectl")["fieldsV1"]!["f:spec"]!["f:replicas"]);
    }

    [Fact]
    public void Fields_the_manager_applied_before_and_omits_now_are_removed_unless_someone_else_owns_them()
    {
        var cm = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"2","c":"3"}}""";
        var live = ServerSideApply.Apply(null, Obj(cm), "op", false, ConfigMap, T1).Merged;
        live = ServerSideApply.Apply(live, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"c":"3"}}"""), "other", false, ConfigMap, T1).Merged;

        var shrunk = ServerSideApply.Apply(live, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"""), "op", false, ConfigMap, T2);
        Equal("""{"a":"1","c":"3"}""", shrunk.Merged["data"]);
    }

    [Fact]
    public void Keyed_list_items_belong_to_their_appliers()
    {
        var live = ServerSideApply.Apply(null, Obj(StsConfig), "op", false, Sts, T1).Merged;
        var sidecar = Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"template":{"spec":{"containers":[{"name":"exporter","image":"exp:1"}]}}}}""");
        live = ServerSideApply.Apply(live, sidecar, "monitoring", false, Sts, T1).Merged;
        Equal("""[{"name":"mongod","image":"mongo:7"},{"name":"exporter","image":"exp:1"}]""", live["spec"]!["template"]!["spec"]!["containers"]);

        var withoutSidecar = ServerSideApply.Apply(live, Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"}}"""), "monitoring", false, Sts, T2).Merged;
        Equal("""[{"name":"mongod","image":"mongo:7"}]""", withoutSidecar["spec"]!["template"]!["spec"]!["containers"]);
    }

    [Fact]
    public void Conflict_path_names_the_list_item_by_key()
    {
        var live = ServerSideApply.Apply(null, Obj(StsConfig), "op", false, Sts, T1).Merged;
        var bump = Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"template":{"spec":{"containers":[{"name":"mongod","image":"mongo:8"}]}}}}""");
        var result = ServerSideApply.Apply(live, bump, "kubectl", false, Sts, T2);
        Assert.Equal(".spec.template.spec.containers[name=\"mongod\"].image", Assert.Single(result.Conflicts).Field);
    }

    [Fact]
    public void Conflict_with_an_Update_manager_names_its_version_and_time()
    {
        var created = ManagedFields.RecordUpdate(null, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}"""), "kubectl-client-side-apply", T1, ConfigMap);
        var result = ServerSideApply.Apply(created, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"2"}}"""), "op", false, ConfigMap, T2);
        Assert.Equal($"Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1 at {T1}: .data.a", result.ConflictMessage);
    }

    [Fact]
    public void Several_conflicts_are_grouped_by_manager()
    {
        var live = ServerSideApply.Apply(null, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"1"}}"""), "op", false, ConfigMap, T1).Merged;
        var result = ServerSideApply.Apply(live, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"2","b":"2"}}"""), "x", false, ConfigMap, T2);
        Assert.Equal("Apply failed with 2 conflicts: conflicts with \"op\":\n- .data.a\n- .data.b", result.ConflictMessage);
    }

    [Fact]
    public void Finalizers_are_a_set_owned_per_value()
    {
        var result = ServerSideApply.Apply(null, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","finalizers":["a/b"]}}"""), "op", false, ConfigMap, T1).Merged;
        Equal("""{"f:metadata":{"f:finalizers":{"v:\"a/b\"":{}}}}""", Entry(result, "op")["fieldsV1"]);
    }

    [Fact]
    public void Custom_resource_lists_follow_x_kubernetes_list_type()
    {
        var schema = PatchSchema.FromOpenApi(Obj("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{
              "users":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],"items":{"type":"object"}},
              "tags":{"type":"array","items":{"type":"string"}}}}}}
            """));
        var live = ServerSideApply.Apply(null, Obj("""{"apiVersion":"g/v1","kind":"K","metadata":{"name":"a"},"spec":{"users":[{"name":"u1","role":"r"}],"tags":["x"]}}"""), "a", false, schema, T1).Merged;
        live = ServerSideApply.Apply(live, Obj("""{"apiVersion":"g/v1","kind":"K","metadata":{"name":"a"},"spec":{"users":[{"name":"u2"}]}}"""), "b", false, schema, T1).Merged;
        Equal("""[{"name":"u1","role":"r"},{"name":"u2"}]""", live["spec"]!["users"]);
        var conflict = ServerSideApply.Apply(live, Obj("""{"apiVersion":"g/v1","kind":"K","metadata":{"name":"a"},"spec":{"tags":["y"]}}"""), "b", false, schema, T2);
        Assert.Equal(".spec.tags", Assert.Single(conflict.Conflicts).Field); // atomic list: whole list owned by "a"
    }

    [Fact]
    public void Reset_fields_are_neither_merged_nor_owned()
    {
        var config = Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"replicas":1},"status":{"replicas":9}}""");
        var result = ServerSideApply.Apply(null, config, "op", false, Sts, T1, resetFields: ["status"]).Merged;
        Assert.Null(result["status"]);
        Equal("""{"f:spec":{"f:replicas":{}}}""", Entry(result, "op")["fieldsV1"]);
        Assert.NotNull(config["status"]); // the caller's object is untouched
    }

    [Fact]
    public void Label_selectors_are_atomic_structs()
    {
        var config = Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"selector":{"matchLabels":{"app":"db"}}}}""");
        var live = ServerSideApply.Apply(null, config, "op", false, Sts, T1).Merged;
        Equal("""{"f:spec":{"f:selector":{}}}""", Entry(live, "op")["fieldsV1"]);
        var changed = Obj("""{"apiVersion":"apps/v1","kind":"StatefulSet","metadata":{"name":"db"},"spec":{"selector":{"matchLabels":{"tier":"x"}}}}""");
        Equal("""{"matchLabels":{"tier":"x"}}""", ServerSideApply.Apply(live, changed, "op", false, Sts, T2).Merged["spec"]!["selector"]);
    }
}
