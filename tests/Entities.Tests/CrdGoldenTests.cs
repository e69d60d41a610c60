using HipaaMongo.Entities.Crds;

namespace HipaaMongo.Entities.Tests;

public class CrdGoldenTests
{
    private static readonly string GoldenPath = Path.Combine(RepoPaths.Root, "config", "crds", CrdGenerator.FileName);

    [Fact]
    public void Committed_crd_matches_the_generator()
    {
        var generated = CrdGenerator.GenerateYaml();
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
            File.WriteAllText(GoldenPath, generated);

        Assert.True(File.Exists(GoldenPath), $"{GoldenPath} is missing; run the tests with UPDATE_GOLDEN=1");
        var committed = File.ReadAllText(GoldenPath);
        Assert.True(committed == generated,
            $"{GoldenPath} differs from CrdGenerator.GenerateYaml(); regenerate with UPDATE_GOLDEN=1 and review the diff");
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
