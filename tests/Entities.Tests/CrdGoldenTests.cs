using HipaaMongo.Entities.Crds;

namespace HipaaMongo.Entities.Tests;

public class CrdGoldenTests
{
    public static TheoryData<string> Kinds() => new(CrdGenerator.All.Select(d => d.Kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Committed_crd_matches_the_generator(string kind)
    {
        var definition = CrdGenerator.All.Single(d => d.Kind == kind);
        var goldenPath = Path.Combine(RepoPaths.Root, "config", "crds", definition.FileName);
        var generated = CrdGenerator.GenerateYaml(definition);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
            File.WriteAllText(goldenPath, generated);

        Assert.True(File.Exists(goldenPath), $"{goldenPath} is missing; run the tests with UPDATE_GOLDEN=1");
        var committed = File.ReadAllText(goldenPath);
        Assert.True(committed == generated,
            $"{goldenPath} differs from CrdGenerator.GenerateYaml(); regenerate with UPDATE_GOLDEN=1 and review the diff");
    }
}

public class CrdYamlTests
{
    [Fact]
    public void The_yaml_reads_back_as_the_same_crd()
    {
        var yaml = CrdGenerator.GenerateYaml();
        var crd = k8s.KubernetesYaml.Deserialize<k8s.Models.V1CustomResourceDefinition>(yaml);

        Assert.Equal("apiextensions.k8s.io/v1", crd.ApiVersion);
        Assert.Equal("CustomResourceDefinition", crd.Kind);
        Assert.Equal(k8s.KubernetesJson.Serialize(CrdGenerator.Generate()), k8s.KubernetesJson.Serialize(crd));
    }

    [Fact]
    public void Ready_column_uses_the_documented_json_path() =>
        Assert.Contains("jsonPath: .status.conditions[?(@.type==\"Ready\")].status", CrdGenerator.GenerateYaml());
}
