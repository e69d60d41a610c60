using static HipaaMongo.ApiMachinery.Tests.TestJson;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>
/// Where the Cel package and kube-apiserver's CEL differ, the schema evaluates as kube-apiserver does: has() is key
/// presence (a present empty object counts), and the quantity library and split are there.
/// </summary>
public class KubeCelTests
{
    private static readonly StructuralSchema Schema = StructuralSchema.FromOpenApi(Obj("""
        {"type":"object","properties":{"spec":{"type":"object","properties":{
           "peer":{"type":"object",
             "properties":{"podSelector":{"type":"object","properties":{"matchLabels":{"type":"object","additionalProperties":{"type":"string"}}}},
                           "names":{"type":"array","items":{"type":"string"}},"note":{"type":"string"}},
             "x-kubernetes-validations":[
               {"rule":"has(self.podSelector)","message":"podSelector is required"},
               {"rule":"!has(self.names) || size(self.names) < 3","message":"at most two names"},
               {"rule":"!has(self.note) || self.note == 'has(self.podSelector)'","message":"a string literal is left as written"}]},
           "size":{"anyOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true,
             "x-kubernetes-validations":[{"rule":"!quantity(string(self)).isLessThan(quantity(string(oldSelf)))",
               "messageExpression":"'cannot shrink from ' + string(oldSelf) + ' to ' + string(self)"}]},
           "version":{"type":"string","x-kubernetes-validations":[{"rule":"int(self.split('.')[0]) >= int(oldSelf.split('.')[0])","message":"no downgrade"}]}}}}}
        """));

    private static SchemaValidationResult Check(string spec, string? oldSpec = null) =>
        Schema.Validate(Obj($$"""{"spec":{{spec}}}"""), oldSpec is null ? null : Obj($$"""{"spec":{{oldSpec}}}"""));

    [Theory]
    [InlineData("""{"peer":{"podSelector":{}}}""")]
    [InlineData("""{"peer":{"podSelector":{"matchLabels":{}},"names":[]}}""")]
    public void Has_is_true_for_a_present_empty_value(string spec)
    {
        var result = Check(spec);
        Assert.Empty(result.NotEvaluated);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Has_is_false_for_an_absent_field()
    {
        var result = Check("""{"peer":{"note":"has(self.podSelector)"}}""");
        Assert.Empty(result.NotEvaluated);
        Assert.Equal("spec.peer: Invalid value: \"object\": podSelector is required", Assert.Single(result.Errors).ToString());
    }

    [Theory]
    [InlineData("\"40Gi\"", "\"50Gi\"", "cannot shrink from 50Gi to 40Gi")]
    [InlineData("53687091199", "\"50Gi\"", "cannot shrink from 50Gi to 53687091199")]
    [InlineData("\"1G\"", "\"1Gi\"", "cannot shrink from 1Gi to 1G")]
    public void Quantities_compare_by_value(string size, string oldSize, string message)
    {
        var result = Check($$"""{"size":{{size}}}""", $$"""{"size":{{oldSize}}}""");
        Assert.Empty(result.NotEvaluated);
        Assert.Equal($"spec.size: Invalid value: \"object\": {message}", Assert.Single(result.Errors).ToString());
    }

    [Theory]
    [InlineData("\"51200Mi\"", "\"50Gi\"")]
    [InlineData("53687091200", "\"50Gi\"")]
    [InlineData("\"100Gi\"", "\"50Gi\"")]
    public void A_quantity_equal_or_larger_passes(string size, string oldSize)
    {
        var result = Check($$"""{"size":{{size}}}""", $$"""{"size":{{oldSize}}}""");
        Assert.Empty(result.NotEvaluated);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Split_and_int_compare_release_series()
    {
        Assert.Equal("spec.version: Invalid value: \"string\": no downgrade",
            Assert.Single(Check("""{"version":"7.0.14"}""", """{"version":"8.0.4"}""").Errors).ToString());
        Assert.Empty(Check("""{"version":"8.0.3"}""", """{"version":"8.0.4"}""").Errors);
    }

    [Fact]
    public void Transition_rules_do_not_run_on_create() => Assert.Empty(Check("""{"version":"7.0.14","size":"1Gi"}""").Errors);

    [Fact]
    public void Every_rule_here_compiles() => Assert.Empty(Schema.UncompilableRules());
}
