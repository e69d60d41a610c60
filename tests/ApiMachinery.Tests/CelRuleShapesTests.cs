using static HipaaMongo.ApiMachinery.Tests.TestJson;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>The rule shapes the HipaaMongo CRD uses are evaluated (not skipped) and fail when they should.</summary>
public class CelRuleShapesTests
{
    private static readonly StructuralSchema Schema = StructuralSchema.FromOpenApi(Obj("""
        {"type":"object",
         "x-kubernetes-validations":[{"rule":"size(self.metadata.name) <= 10","message":"name too long"}],
         "properties":{"spec":{"type":"object","properties":{
           "members":{"type":"integer","x-kubernetes-validations":[{"rule":"self - oldSelf <= 2 && oldSelf - self <= 2","message":"step of at most 2"}]},
           "retention":{"type":"string","x-kubernetes-validations":[{"rule":"duration(self) >= duration('24h') && duration(self) <= duration('8760h')"}]},
           "edition":{"type":"string","x-kubernetes-validations":[{"rule":"self != 'Community'"}]},
           "namespaces":{"type":"array","items":{"type":"string"},
             "x-kubernetes-validations":[{"rule":"self.all(n, !(n in ['admin', 'local', 'config']) && !n.startsWith('admin.'))"}]},
           "issuer":{"type":"object","properties":{"issuerRef":{"type":"string"},"secretName":{"type":"string"}},
             "x-kubernetes-validations":[{"rule":"has(self.issuerRef) != has(self.secretName)","message":"exactly one of issuerRef or secretName"}]}}}}}
        """));

    private static SchemaValidationResult Check(string name, string spec, string? oldSpec = null) =>
        Schema.Validate(
            Obj($$"""{"metadata":{"name":"{{name}}"},"spec":{{spec}}}"""),
            oldSpec is null ? null : Obj($$"""{"metadata":{"name":"{{name}}"},"spec":{{oldSpec}}}"""));

    [Fact]
    public void Valid_object_passes_with_every_rule_evaluated()
    {
        Assert.Empty(Schema.UncompilableRules());
        var result = Check("db", """{"members":5,"retention":"720h","edition":"Enterprise","namespaces":["app"],"issuer":{"secretName":"s"}}""", """{"members":3}""");
        Assert.Empty(result.Errors);
        Assert.Empty(result.NotEvaluated);
    }

    [Theory]
    [InlineData("a-very-long-name", """{}""", null, "<nil>: Invalid value: \"object\": name too long")]
    [InlineData("db", """{"members":7}""", """{"members":3}""", "spec.members: Invalid value: \"integer\": step of at most 2")]
    [InlineData("db", """{"retention":"1h"}""", null, "spec.retention: Invalid value: \"string\": failed rule: duration(self) >= duration('24h') && duration(self) <= duration('8760h')")]
    [InlineData("db", """{"edition":"Community"}""", null, "spec.edition: Invalid value: \"string\": failed rule: self != 'Community'")]
    [InlineData("db", """{"namespaces":["admin.x"]}""", null, "spec.namespaces: Invalid value: \"array\": failed rule: self.all(n, !(n in ['admin', 'local', 'config']) && !n.startsWith('admin.'))")]
    [InlineData("db", """{"issuer":{"issuerRef":"i","secretName":"s"}}""", null, "spec.issuer: Invalid value: \"object\": exactly one of issuerRef or secretName")]
    public void Violations_are_reported(string name, string spec, string? oldSpec, string expected)
    {
        var result = Check(name, spec, oldSpec);
        Assert.Equal(expected, Assert.Single(result.Errors).ToString());
        Assert.Empty(result.NotEvaluated);
    }
}
