using System.Text.Json.Nodes;
using static HipaaMongo.ApiMachinery.Tests.TestJson;

namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>Grammar and error texts of k8s.io/apimachinery/pkg/labels (selector.go and its tests).</summary>
public class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["a"] = "b", ["e"] = "x", ["g"] = "1", ["c"] = "z" };

    [Theory]
    [InlineData("", true)]
    [InlineData("a=b", true)]
    [InlineData("a==b", true)]
    [InlineData("a!=b", false)]
    [InlineData("a=b,c!=d,e in (x,y),!f,g", true)]
    [InlineData("a=b,c!=z", false)]
    [InlineData("e notin (x,y)", false)]
    [InlineData("e notin (p)", true)]
    [InlineData("missing notin (p)", true)]
    [InlineData("missing!=p", true)]
    [InlineData("!a", false)]
    [InlineData("zz", false)]
    [InlineData(" a = b , g ", true)]
    [InlineData("a in (b),a in (c)", false)]
    [InlineData("g>0", true)]
    [InlineData("g<1", false)]
    [InlineData("a>0", false)]
    [InlineData("missing<5", false)]
    public void Matches(string selector, bool expected) =>
        Assert.Equal(expected, LabelSelector.Parse(selector).Matches(Labels));

    [Theory]
    [InlineData("x=a,y=b,z=c", "x=a,y=b,z=c")]
    [InlineData("z=c,x=a", "x=a,z=c")]
    [InlineData("x notin (b,a)", "x notin (a,b)")]
    [InlineData("x==a", "x==a")]
    [InlineData("!x", "!x")]
    [InlineData("x in (a),y", "x in (a),y")]
    [InlineData("x=", "x=")]
    [InlineData("x in ()", "x in ()")]
    [InlineData("x>5", "x>5")]
    public void Prints_in_canonical_form(string selector, string printed) =>
        Assert.Equal(printed, LabelSelector.Parse(selector).ToString());

    [Theory]
    [InlineData("x (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("env IN (a)", "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("type=app,versionv1.0.1)", "unable to parse requirement: found ')', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("x=a,", "found '', expected: identifier after ','")]
    [InlineData("x=a y", "found 'y', expected: ',' or 'end of string'")]
    [InlineData("(x)", "found '(', expected: !, identifier, or 'end of string'")]
    [InlineData("x in a", "unable to parse requirement: found 'a' expected: '('")]
    [InlineData("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'")]
    [InlineData("x=(", "unable to parse requirement: found '(', expected: identifier")]
    [InlineData("x>a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer")]
    public void Bad_syntax_gives_the_apiserver_text(string selector, string message)
    {
        var e = Assert.Throws<SelectorException>(() => LabelSelector.Parse(selector));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("-a=b")]
    [InlineData("a=-b")]
    [InlineData("Example.com/a=b")]
    public void Invalid_keys_and_values_are_rejected(string selector)
    {
        var e = Assert.Throws<SelectorException>(() => LabelSelector.Parse(selector));
        Assert.StartsWith("unable to parse requirement: ", e.Message);
        Assert.Contains("Invalid value", e.Message);
    }

    [Fact]
    public void Metav1_selector_json_combines_matchLabels_and_matchExpressions()
    {
        var selector = LabelSelector.FromJson(Obj("""
            {"matchLabels":{"app":"mongo"},"matchExpressions":[{"key":"tier","operator":"In","values":["db","cache"]},{"key":"legacy","operator":"DoesNotExist"}]}
            """));
        Assert.True(selector.Matches(Obj("""{"app":"mongo","tier":"db"}""")));
        Assert.False(selector.Matches(Obj("""{"app":"mongo","tier":"web"}""")));
        Assert.False(selector.Matches(Obj("""{"app":"mongo","tier":"db","legacy":""}""")));
        Assert.Equal("app=mongo,!legacy,tier in (cache,db)", selector.ToString());
    }

    [Fact]
    public void Null_selector_matches_nothing_and_empty_matches_everything()
    {
        Assert.False(LabelSelector.FromJson(null).Matches((JsonObject?)null));
        Assert.True(LabelSelector.FromJson([]).Matches((JsonObject?)null));
        Assert.True(LabelSelector.FromJson([]).IsEverything);
    }

    [Theory]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]}""")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"In","values":[]}]}""")]
    [InlineData("""{"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]}""")]
    [InlineData("""{"matchLabels":{"a":"-bad"}}""")]
    public void Invalid_metav1_selectors_are_rejected(string json) =>
        Assert.Throws<SelectorException>(() => LabelSelector.FromJson(Obj(json)));
}
