using static HipaaMongo.ApiMachinery.Tests.TestJson;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>Update-operation ownership as kube-apiserver records it for create/update/patch.</summary>
public class ManagedFieldsTests
{
    private static readonly PatchSchema ConfigMap = PatchSchema.ForKind("", "v1", "ConfigMap");

    [Fact]
    public void Create_records_every_field_with_dot_for_created_maps()
    {
        var created = ManagedFields.RecordUpdate(null, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","labels":{"x":"y"}},"data":{"a":"b"}}"""), "kubectl-create", "2024-01-01T00:00:00Z", ConfigMap);
        Equal("""
            [{"manager":"kubectl-create","operation":"Update","apiVersion":"v1","time":"2024-01-01T00:00:00Z","fieldsType":"FieldsV1",
              "fieldsV1":{"f:data":{".":{},"f:a":{}},"f:metadata":{"f:labels":{".":{},"f:x":{}}}}}]
            """, created["metadata"]!["managedFields"]);
    }

    [Fact]
    public void An_update_takes_changed_fields_from_the_applier_and_keeps_the_rest()
    {
        var applied = ServerSideApply.Apply(null, Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1","b":"1"}}"""), "op", false, ConfigMap, "2024-01-01T00:00:00Z").Merged;
        var edited = applied.DeepClone().AsObject();
        edited["data"]!["a"] = "2";
        var updated = ManagedFields.RecordUpdate(applied, edited, "kubectl-edit", "2024-01-02T00:00:00Z", ConfigMap, subresource: null);
        var entries = updated["metadata"]!["managedFields"]!.AsArray();
        Equal("""{"f:data":{"f:b":{}}}""", entries.Single(e => Json.AsString(e!["manager"]) == "op")!["fieldsV1"]);
        Equal("""{"f:data":{"f:a":{}}}""", entries.Single(e => Json.AsString(e!["manager"]) == "kubectl-edit")!["fieldsV1"]);
    }

    [Fact]
    public void A_no_op_update_adds_no_entry_and_status_writes_name_the_subresource()
    {
        var obj = Obj("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a":"1"}}""");
        var created = ManagedFields.RecordUpdate(null, obj, "m", "2024-01-01T00:00:00Z", ConfigMap);
        var same = ManagedFields.RecordUpdate(created, obj, "other", "2024-01-02T00:00:00Z", ConfigMap);
        Assert.Single(same["metadata"]!["managedFields"]!.AsArray());

        var withStatus = obj.DeepClone().AsObject();
        withStatus["status"] = Obj("""{"phase":"Ready"}""");
        var status = ManagedFields.RecordUpdate(created, withStatus, "op", "2024-01-02T00:00:00Z", ConfigMap, subresource: "status");
        var entry = status["metadata"]!["managedFields"]!.AsArray().Single(e => Json.AsString(e!["manager"]) == "op")!;
        Assert.Equal("status", Json.AsString(entry["subresource"]));
        Equal("""{"f:status":{".":{},"f:phase":{}}}""", entry["fieldsV1"]);
    }
}
