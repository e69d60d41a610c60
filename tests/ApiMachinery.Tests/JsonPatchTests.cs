using static HipaaMongo.ApiMachinery.Tests.TestJson;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>RFC 6902 Appendix A, verbatim.</summary>
public class JsonPatchTests
{
    [Theory]
    [InlineData("A.1", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux"}]""", """{"baz":"qux","foo":"bar"}""")]
    [InlineData("A.2", """{"foo":["bar","baz"]}""", """[{"op":"add","path":"/foo/1","value":"qux"}]""", """{"foo":["bar","qux","baz"]}""")]
    [InlineData("A.3", """{"baz":"qux","foo":"bar"}""", """[{"op":"remove","path":"/baz"}]""", """{"foo":"bar"}""")]
    [InlineData("A.4", """{"foo":["bar","qux","baz"]}""", """[{"op":"remove","path":"/foo/1"}]""", """{"foo":["bar","baz"]}""")]
    [InlineData("A.5", """{"baz":"qux","foo":"bar"}""", """[{"op":"replace","path":"/baz","value":"boo"}]""", """{"baz":"boo","foo":"bar"}""")]
    [InlineData("A.6", """{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}""", """[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]""", """{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}""")]
    [InlineData("A.7", """{"foo":["all","grass","cows","eat"]}""", """[{"op":"move","from":"/foo/1","path":"/foo/3"}]""", """{"foo":["all","cows","eat","grass"]}""")]
    [InlineData("A.8", """{"baz":"qux","foo":["a",2,"c"]}""", """[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]""", """{"baz":"qux","foo":["a",2,"c"]}""")]
    [InlineData("A.10", """{"foo":"bar"}""", """[{"op":"add","path":"/child","value":{"grandchild":{}}}]""", """{"foo":"bar","child":{"grandchild":{}}}""")]
    [InlineData("A.11", """{"foo":"bar"}""", """[{"op":"add","path":"/baz","value":"qux","xyz":123}]""", """{"foo":"bar","baz":"qux"}""")]
    [InlineData("A.14", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":10}]""", """{"/":9,"~1":10}""")]
    [InlineData("A.16", """{"foo":["bar"]}""", """[{"op":"add","path":"/foo/-","value":["abc","def"]}]""", """{"foo":["bar",["abc","def"]]}""")]
    [InlineData("copy", """{"a":{"b":1}}""", """[{"op":"copy","from":"/a","path":"/c"}]""", """{"a":{"b":1},"c":{"b":1}}""")]
    [InlineData("replace root", """{"a":1}""", """[{"op":"replace","path":"","value":[1]}]""", """[1]""")]
    [InlineData("numbers by value", """{"a":1}""", """[{"op":"test","path":"/a","value":1.0}]""", """{"a":1}""")]
    public void Rfc6902_appendix_examples(string name, string doc, string patch, string expected)
    {
        _ = name;
        Equal(expected, JsonPatch.Apply(Parse(doc), Arr(patch)));
    }

    [Theory]
    [InlineData("A.9", """{"baz":"qux"}""", """[{"op":"test","path":"/baz","value":"bar"}]""", true)]
    [InlineData("A.12", """{"foo":"bar"}""", """[{"op":"add","path":"/baz/bat","value":"qux"}]""", false)]
    [InlineData("A.15", """{"/":9,"~1":10}""", """[{"op":"test","path":"/~01","value":"10"}]""", true)]
    [InlineData("remove missing", """{"a":1}""", """[{"op":"remove","path":"/b"}]""", false)]
    [InlineData("index past end", """{"a":[1]}""", """[{"op":"add","path":"/a/2","value":0}]""", false)]
    [InlineData("leading zero index", """{"a":[1,2]}""", """[{"op":"remove","path":"/a/01"}]""", false)]
    [InlineData("move into own child", """{"a":{"b":1}}""", """[{"op":"move","from":"/a","path":"/a/b/c"}]""", false)]
    public void Rfc6902_errors_are_PatchExceptions(string name, string doc, string patch, bool isTest)
    {
        _ = name;
        var e = Assert.Throws<PatchException>(() => JsonPatch.Apply(Parse(doc), Arr(patch)));
        Assert.Equal(isTest, e.IsTestFailure);
        Assert.False(e.IsMalformed);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [InlineData("""[{"op":"frob","path":"/a"}]""")]
    [InlineData("""[{"path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"/a"}]""")]
    [InlineData("""[{"op":"move","path":"/a"}]""")]
    [InlineData("""[1]""")]
    public void Malformed_operations_are_marked_for_400(string patch)
    {
        var e = Assert.Throws<PatchException>(() => JsonPatch.Apply(Obj("""{"a":1}"""), Arr(patch)));
        Assert.True(e.IsMalformed);
    }

    [Fact]
    public void Input_document_is_not_modified_and_a_failure_leaves_no_partial_result()
    {
        var doc = Obj("""{"a":1}""");
        Assert.Throws<PatchException>(() => JsonPatch.Apply(doc, Arr("""[{"op":"add","path":"/b","value":2},{"op":"test","path":"/a","value":9}]""")));
        Equal("""{"a":1}""", doc);
    }

    [Theory]
    [InlineData("/a~1b", "a/b")]
    [InlineData("/m~0n", "m~n")]
    [InlineData("/~01", "~1")]
    public void Pointer_tokens_unescape_per_rfc6901(string pointer, string token)
    {
        Assert.Equal([token], JsonPointer.Parse(pointer));
        Assert.Equal(pointer, JsonPointer.Format([token]));
    }
}
