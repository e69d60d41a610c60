using HipaaMongo.Entities.Crds;
using k8s.Models;

namespace HipaaMongo.Entities.Tests.Crds;

/// <summary>The generated CRD against the rules kube-apiserver and kubectl apply (apiextensions v1, structural schemas).</summary>
public class CrdShapeTests
{
    private static readonly V1CustomResourceDefinition Crd = CrdGenerator.Generate();
    private static readonly V1CustomResourceDefinitionVersion Version = Assert.Single(Crd.Spec.Versions);
    private static readonly V1JSONSchemaProps Root = Version.Schema.OpenAPIV3Schema;

    [Fact]
    public void Names_match_the_issue()
    {
        Assert.Equal("hipaamongos.hipaa.mongooperator.io", Crd.Metadata.Name);
        Assert.Equal("hipaa.mongooperator.io", Crd.Spec.Group);
        Assert.Equal("Namespaced", Crd.Spec.Scope);
        Assert.Equal("HipaaMongo", Crd.Spec.Names.Kind);
        Assert.Equal("hipaamongos", Crd.Spec.Names.Plural);
        Assert.Equal("hipaamongo", Crd.Spec.Names.Singular);
        Assert.Equal(["hm"], Crd.Spec.Names.ShortNames);
        Assert.Equal("v1alpha1", Version.Name);
        Assert.True(Version.Served && Version.Storage);
        Assert.NotNull(Version.Subresources?.Status);
    }

    [Fact]
    public void Categories_never_contain_all()
    {
        Assert.Contains("hipaa", Crd.Spec.Names.Categories);
        Assert.DoesNotContain("all", Crd.Spec.Names.Categories);
        Assert.DoesNotContain("all", CrdGenerator.GenerateYaml().Split('\n').Select(l => l.Trim()).SkipWhile(l => l != "categories:").Skip(1).TakeWhile(l => l.StartsWith('-')).Select(l => l.TrimStart('-', ' ')));
    }

    [Fact]
    public void Printer_columns_show_ready_compliant_members_version_age_and_wide_extras()
    {
        var columns = Version.AdditionalPrinterColumns;
        var standard = columns.Where(c => (c.Priority ?? 0) == 0).Select(c => c.Name.ToUpperInvariant()).ToList();
        Assert.Equal(["READY", "COMPLIANT", "MEMBERS", "VERSION", "AGE"], standard);
        Assert.Equal(".status.conditions[?(@.type==\"Ready\")].status", columns.Single(c => c.Name == "Ready").JsonPath);
        Assert.Equal("date", columns.Single(c => c.Name == "Age").Type);
        var wide = columns.Where(c => c.Priority == 1).Select(c => c.Name.ToUpperInvariant()).ToList();
        Assert.Contains("TLS-EXPIRES", wide);
        Assert.Contains("EDITION", wide);
        Assert.All(columns, c => Assert.Contains(c.Type, new[] { "integer", "number", "string", "boolean", "date" }));
    }

    [Fact]
    public void Every_node_is_structural()
    {
        foreach (var (path, node) in Walk("", Root))
        {
            if (node.XKubernetesIntOrString == true)
                Assert.True(node.Type is null && node.AnyOf?.Count == 2, $"{path}: int-or-string takes anyOf integer/string and no type");
            else
                Assert.False(string.IsNullOrEmpty(node.Type), $"{path}: every node needs a type");
            Assert.False(node.Properties is not null && node.AdditionalProperties is not null,
                $"{path}: properties and additionalProperties are mutually exclusive");
            if (node.Type == "array") Assert.NotNull(node.Items);
            if (node.XKubernetesListType == "map")
                Assert.All(node.XKubernetesListMapKeys, key => Assert.Contains(key, ((V1JSONSchemaProps)node.Items).Required));
            if (node.XKubernetesListType == "set")
                Assert.NotEqual("object", ((V1JSONSchemaProps)node.Items).Type);
        }
    }

    [Fact]
    public void Every_spec_and_status_field_has_a_description()
    {
        var undocumented = Walk("", Root)
            .Where(x => x.Path.StartsWith(".spec", StringComparison.Ordinal) || x.Path.StartsWith(".status", StringComparison.Ordinal))
            .Where(x => !(x.Path.EndsWith("[]", StringComparison.Ordinal) || x.Path.EndsWith("{}", StringComparison.Ordinal)) || x.Node.Type == "object")
            .Where(x => string.IsNullOrWhiteSpace(x.Node.Description))
            .Select(x => x.Path)
            .ToList();
        Assert.Empty(undocumented);
    }

    [Fact]
    public void Every_public_spec_property_appears_in_the_schema_with_a_description()
    {
        var spec = Root.Properties["spec"];
        foreach (var path in PropertyPaths(typeof(HipaaMongoSpec), ""))
        {
            var node = Resolve(spec, path);
            Assert.True(node is not null, $"spec{path} is missing from the schema");
            Assert.False(string.IsNullOrWhiteSpace(node!.Description), $"spec{path} has no description");
        }
    }

    [Fact]
    public void Cel_rules_are_bounded_so_the_api_server_can_estimate_their_cost()
    {
        // The root rule reads only metadata.name, which the API server bounds itself.
        foreach (var (path, node) in Walk("", Root).Where(x => x.Path != "" && x.Node.XKubernetesValidations is { Count: > 0 }))
        {
            foreach (var (childPath, child) in Walk(path, node))
            {
                if (child.Type == "string" && child.EnumProperty is null && child.Format is null)
                    Assert.True(child.MaxLength is not null, $"{childPath}: strings under a CEL rule need maxLength");
                if (child.Type == "array") Assert.True(child.MaxItems is not null, $"{childPath}: lists under a CEL rule need maxItems");
                if (child.AdditionalProperties is not null) Assert.True(child.MaxProperties is not null, $"{childPath}: maps under a CEL rule need maxProperties");
            }
        }
    }

    [Fact]
    public void Safeguards_have_no_off_switch()
    {
        var fields = Walk("", Root.Properties["spec"]).Select(x => x.Path.ToLowerInvariant()).ToList();
        foreach (var forbidden in new[] { "enabled", "disabled", "mode", "allowinvalid", "insecure", "skipverify", "keyfile" })
            Assert.DoesNotContain(fields, f => f.Split('.').Last().Contains(forbidden));
    }

    private static IEnumerable<(string Path, V1JSONSchemaProps Node)> Walk(string path, V1JSONSchemaProps node)
    {
        yield return (path, node);
        foreach (var (name, child) in node.Properties ?? new Dictionary<string, V1JSONSchemaProps>())
            foreach (var x in Walk($"{path}.{name}", child)) yield return x;
        if (node.Items is V1JSONSchemaProps items)
            foreach (var x in Walk(path + "[]", items)) yield return x;
        if (node.AdditionalProperties is V1JSONSchemaProps values)
            foreach (var x in Walk(path + "{}", values)) yield return x;
    }

    private static IEnumerable<string> PropertyPaths(Type type, string prefix)
    {
        foreach (var (name, property) in SchemaBuilder.JsonProperties(type))
        {
            var path = $"{prefix}.{name}";
            yield return path;
            var t = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (SchemaBuilder.IsList(t)) t = t.GetGenericArguments()[0];
            if (t.IsClass && t != typeof(string) && !SchemaBuilder.IsStringMap(t))
                foreach (var child in PropertyPaths(t, SchemaBuilder.IsList(property.PropertyType) ? path + "[]" : path))
                    yield return child;
        }
    }

    private static V1JSONSchemaProps? Resolve(V1JSONSchemaProps node, string path)
    {
        V1JSONSchemaProps? current = node;
        foreach (var part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var isList = part.EndsWith("[]", StringComparison.Ordinal);
            var name = isList ? part[..^2] : part;
            if (current?.Properties is null || !current.Properties.TryGetValue(name, out current)) return null;
            if (isList) current = current.Items as V1JSONSchemaProps;
        }

        return current;
    }
}
