namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>k8s.io/apimachinery/pkg/fields: <c>=</c>, <c>==</c>, <c>!=</c>, escapes, supported-field check.</summary>
public class FieldSelectorTests
{
    private static string? Field(string name) => name switch
    {
        "metadata.name" => "a",
        "metadata.namespace" => "default",
        "involvedObject.name" => "x,y",
        _ => null,
    };

    [Theory]
    [InlineData("", true)]
    [InlineData("metadata.name=a", true)]
    [InlineData("metadata.name==a", true)]
    [InlineData("metadata.name!=a", false)]
    [InlineData("metadata.name=a,metadata.namespace=default", true)]
    [InlineData("metadata.name=a,metadata.namespace!=default", false)]
    [InlineData(@"involvedObject.name=x\,y", true)]
    [InlineData("metadata.name=", false)]
    public void Matches(string selector, bool expected) =>
        Assert.Equal(expected, FieldSelector.Parse(selector).Matches(Field));

    [Fact]
    public void Unsupported_field_gives_the_apiserver_text()
    {
        var selector = FieldSelector.Parse("spec.foo=1");
        var e = Assert.Throws<SelectorException>(() => selector.EnsureSupported(["metadata.name", "metadata.namespace"]));
        Assert.Equal("field label not supported: spec.foo", e.Message);
        FieldSelector.Parse("metadata.name=a").EnsureSupported(["metadata.name"]);
    }

    [Theory]
    [InlineData("metadata.name")]
    [InlineData(@"a=b\x")]
    [InlineData("a=b=c")]
    public void Bad_syntax_is_rejected(string selector) =>
        Assert.Throws<SelectorException>(() => FieldSelector.Parse(selector));

    [Theory]
    [InlineData("metadata.name=a,metadata.namespace!=b")]
    [InlineData(@"involvedObject.name=x\,y\=z")]
    public void Round_trips_through_ToString(string selector) =>
        Assert.Equal(selector, FieldSelector.Parse(selector).ToString());
}
