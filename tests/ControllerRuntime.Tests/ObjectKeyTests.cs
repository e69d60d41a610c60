using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Tests;

public class ObjectKeyTests
{
    [Theory]
    [InlineData("prod/db", "prod", "db")]
    [InlineData("cluster-thing", null, "cluster-thing")]
    public void Parse_and_ToString_use_the_client_go_cache_key_format(string text, string? ns, string name)
    {
        var key = ObjectKey.Parse(text);
        Assert.Equal(new ObjectKey(ns, name), key);
        Assert.Equal(text, key.ToString());
    }

    [Fact]
    public void From_reads_namespace_and_name_and_treats_an_empty_namespace_as_cluster_scoped()
    {
        Assert.Equal(new ObjectKey("prod", "a"), ObjectKey.From(new V1ConfigMap { Metadata = new() { Name = "a", NamespaceProperty = "prod" } }));
        Assert.Equal(new ObjectKey(null, "n"), ObjectKey.From(new V1Namespace { Metadata = new() { Name = "n", NamespaceProperty = "" } }));
    }
}
