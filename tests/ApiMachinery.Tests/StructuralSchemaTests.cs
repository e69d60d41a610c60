using System.Text.Json.Nodes;
using static HipaaMongo.ApiMachinery.Tests.TestJson;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>
/// CRD validation, defaulting and pruning with the message forms of kube-apiserver v1.32
/// (documented in shared/docs/kube-api-emulation.md §13 and the kubernetes.io CRD page).
/// </summary>
public class StructuralSchemaTests
{
    private const string SchemaJson = """
        {"type":"object","properties":{
          "spec":{"type":"object","required":["members"],"properties":{
            "members":{"type":"integer","enum":[3,5,7],"default":3},
            "replicas":{"type":"integer","minimum":1},
            "version":{"type":"string","pattern":"^[0-9]+\\.[0-9]+$","maxLength":10,"minLength":3},
            "storage":{"type":"object","properties":{"size":{"x-kubernetes-int-or-string":true,"default":"10Gi"},"class":{"type":"string","minLength":2}}},
            "tags":{"type":"array","maxItems":2,"items":{"type":"string"},"x-kubernetes-list-type":"set"},
            "users":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
              "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"role":{"type":"string"}}}},
            "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
            "labels":{"type":"object","additionalProperties":{"type":"string","maxLength":3}},
            "tls":{"type":"object","default":{},"properties":{"mode":{"type":"string","default":"requireTLS"}}},
            "ratio":{"type":"number","minimum":0,"exclusiveMinimum":true},
            "created":{"type":"string","format":"date-time"},
            "note":{"type":"string","nullable":true}},
           "x-kubernetes-validations":[
             {"rule":"self.members % 2 == 1","message":"members must be odd"},
             {"rule":"!has(oldSelf.version) || !has(self.version) || self.version == oldSelf.version","message":"version is immutable"},
             {"rule":"!has(self.replicas) || self.replicas <= self.members","reason":"FieldValueForbidden","fieldPath":".replicas"}]},
          "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}
        """;

    private static readonly StructuralSchema Schema = StructuralSchema.FromOpenApi(Obj(SchemaJson));

    private static JsonObject Hm(string spec) => Obj($$"""{"apiVersion":"hipaa.mongooperator.io/v1alpha1","kind":"HipaaMongo","metadata":{"name":"a"},"spec":{{spec}}}""");

    private static string[] Errors(string spec, string? oldSpec = null) =>
        Schema.Validate(Hm(spec), oldSpec is null ? null : Hm(oldSpec)).Errors.Select(e => e.ToString()).ToArray();

    [Theory]
    [InlineData("""{"members":9}""", """spec.members: Unsupported value: 9: supported values: "3", "5", "7" """)]
    [InlineData("""{}""", "spec.members: Required value")]
    [InlineData("""{"members":"x"}""", """spec.members: Invalid value: "string": spec.members in body must be of type integer: "string" """)]
    [InlineData("""{"members":3,"replicas":0}""", "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1")]
    [InlineData("""{"members":3,"version":"1.2345678901"}""", "spec.version: Too long: may not be more than 10 bytes")]
    [InlineData("""{"members":3,"version":"abc"}""", """spec.version: Invalid value: "abc": spec.version in body should match '^[0-9]+\.[0-9]+$'""")]
    [InlineData("""{"members":3,"storage":{"class":"a"}}""", """spec.storage.class: Invalid value: "a": spec.storage.class in body should be at least 2 chars long""")]
    [InlineData("""{"members":3,"tags":["a","b","c"]}""", "spec.tags: Too many: 3: must have at most 2 items")]
    [InlineData("""{"members":3,"tags":["a","a"]}""", """spec.tags[1]: Duplicate value: "a" """)]
    [InlineData("""{"members":3,"users":[{"name":"u"},{"name":"u"}]}""", """spec.users[1]: Duplicate value: {"name":"u"}""")]
    [InlineData("""{"members":3,"users":[{"role":"r"}]}""", "spec.users[0].name: Required value")]
    [InlineData("""{"members":3,"labels":{"k":"long"}}""", "spec.labels[k]: Too long: may not be more than 3 bytes")]
    [InlineData("""{"members":3,"ratio":0}""", "spec.ratio: Invalid value: 0: spec.ratio in body should be greater than 0")]
    [InlineData("""{"members":3,"storage":{"size":true}}""", """spec.storage.size: Invalid value: "boolean": spec.storage.size in body must be of type integer,string: "boolean" """)]
    [InlineData("""{"members":3,"created":"yesterday"}""", """spec.created: Invalid value: "yesterday": spec.created in body must be of type date-time: "yesterday" """)]
    [InlineData("""{"members":3,"replicas":5}""", "spec.replicas: Forbidden: failed rule: !has(self.replicas) || self.replicas <= self.members")]
    public void Invalid_values_get_kube_apiserver_messages(string spec, string expected) =>
        Assert.Equal([expected.TrimEnd()], Errors(spec));

    [Theory]
    [InlineData("""{"members":5,"replicas":2,"version":"7.0","tags":["a"],"storage":{"size":10},"ratio":0.5,"created":"2024-01-01T00:00:00Z","note":null}""")]
    [InlineData("""{"members":3,"storage":{"size":"10Gi"},"extra":{"anything":[1,{"x":2}]},"labels":{"a":"b"}}""")]
    public void Valid_objects_pass(string spec) => Assert.Empty(Errors(spec));

    [Fact]
    public void Cel_rule_message_and_transition_rule_with_oldSelf()
    {
        Assert.Equal(["spec: Invalid value: \"object\": version is immutable"], Errors("""{"members":3,"version":"7.0"}""", """{"members":3,"version":"6.0"}"""));
        Assert.Empty(Errors("""{"members":3,"version":"7.0"}""", """{"members":3,"version":"7.0"}"""));
        Assert.Empty(Errors("""{"members":3,"version":"7.0"}""")); // transition rules are skipped on create
    }

    [Fact]
    public void Cel_runs_when_openapi_errors_are_not_blocking_and_uses_the_rule_message()
    {
        var schema = StructuralSchema.FromOpenApi(Obj("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{"n":{"type":"integer"}},
              "x-kubernetes-validations":[{"rule":"self.n % 2 == 1","message":"n must be odd"}]}}}
            """));
        var result = schema.Validate(Obj("""{"spec":{"n":2}}"""));
        Assert.Equal("spec: Invalid value: \"object\": n must be odd", Assert.Single(result.Errors).ToString());
        Assert.Equal("FieldValueInvalid", result.Errors[0].Reason);
        Assert.Equal("HipaaMongo.hipaa.mongooperator.io \"a\" is invalid: spec: Invalid value: \"object\": n must be odd",
            result.InvalidMessage("HipaaMongo", "hipaa.mongooperator.io", "a"));
    }

    [Fact]
    public void Message_expression_builds_the_message()
    {
        var schema = StructuralSchema.FromOpenApi(Obj("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{"n":{"type":"integer"}},
              "x-kubernetes-validations":[{"rule":"self.n < 3","message":"static","messageExpression":"'n is ' + string(self.n)"}]}}}
            """));
        Assert.Equal("spec: Invalid value: \"object\": n is 5", Assert.Single(schema.Validate(Obj("""{"spec":{"n":5}}""")).Errors).ToString());
    }

    [Fact]
    public void Rules_the_engine_cannot_run_are_reported_not_passed()
    {
        var schema = StructuralSchema.FromOpenApi(Obj("""
            {"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"string"}},
              "x-kubernetes-validations":[{"rule":"ip(self.size).family() == 4"},{"rule":"self.size.("}]}}}
            """));
        Assert.Contains(schema.UncompilableRules(), r => r.Rule == "self.size.(");
        var result = schema.Validate(Obj("""{"spec":{"size":"2Gi"}}"""));
        Assert.True(result.IsValid);
        Assert.Equal(2, result.NotEvaluated.Count);
        Assert.All(result.NotEvaluated, r => Assert.Equal("spec", r.Field));
    }

    [Fact]
    public void Defaults_fill_missing_fields_and_descend_into_defaulted_objects()
    {
        var obj = Hm("""{"storage":{},"note":null,"ratio":null}""");
        Schema.ApplyDefaults(obj);
        Equal("""{"members":3,"storage":{"size":"10Gi"},"tls":{"mode":"requireTLS"},"note":null}""", obj["spec"]);
    }

    [Fact]
    public void Prune_drops_unknown_fields_and_reports_their_paths()
    {
        var obj = Hm("""{"members":3,"foo":1,"users":[{"name":"u","bogus":true}],"extra":{"kept":1},"labels":{"x":"y"}}""");
        obj["metadata"]!["bogusMeta"] = 1;
        obj["status"] = Obj("""{"anything":1}""");
        obj["top"] = 1;
        var pruned = Schema.Prune(obj);
        Assert.Equal(["metadata.bogusMeta", "spec.foo", "spec.users[0].bogus", "top"], pruned.Order(StringComparer.Ordinal));
        Equal("""{"members":3,"users":[{"name":"u"}],"extra":{"kept":1},"labels":{"x":"y"}}""", obj["spec"]);
        Equal("""{"anything":1}""", obj["status"]);
        Assert.Equal("HipaaMongo", Json.AsString(obj["kind"]));
    }

    [Fact]
    public void Root_must_be_an_object_schema() =>
        Assert.Throws<ArgumentException>(() => StructuralSchema.FromOpenApi(Obj("""{"type":"string"}""")));
}
