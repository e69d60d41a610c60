namespace HipaaMongo.LocalCluster.Tests;

/// <summary>Test inputs: the project's generated HipaaMongo CRD (config/crds) and small objects.</summary>
public static class Manifests
{
    public static string CrdPath => Path.Combine(AppContext.BaseDirectory, "crds", "hipaa.mongooperator.io_hipaamongos.yaml");

    public static string Crd => File.ReadAllText(CrdPath);

    public const string Group = "hipaa.mongooperator.io";
    public const string Version = "v1alpha1";
    public const string Plural = "hipaamongos";

    public static string Namespace(string name) => $"""
        apiVersion: v1
        kind: Namespace
        metadata:
          name: {name}
        """;

    /// <summary>
    /// The project's minimal sample (config/samples), moved to <paramref name="ns"/>/<paramref name="name"/>, as JSON
    /// (kubectl reads JSON manifests too). Using the sample keeps these tests valid as the CRD evolves with it.
    /// </summary>
    public static string HipaaMongo(string ns, string name, string version = "8.0.4")
    {
        var sample = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "samples"), "*minimal*.yaml").Single();
        var obj = global::HipaaMongo.LocalCluster.Http.RequestBody.ParseYaml(File.ReadAllText(sample))!.AsObject();
        obj["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name, ["namespace"] = ns };
        obj["spec"]!["version"] = version;
        return obj.ToJsonString();
    }

    public static string ConfigMap(string ns, string name, string value = "v") => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {ns}
        data:
          key: {value}
        """;
}
