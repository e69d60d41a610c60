using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.Operator.Baseline.Yaml;
using k8s;

namespace HipaaMongo.Operator.Baseline;

/// <summary>Writes desired objects as a multi-document YAML stream, like `helm template`.</summary>
public static class YamlStream
{
    public static string Write(DesiredState state)
    {
        var sb = new StringBuilder();
        foreach (var obj in state.Objects)
        {
            sb.Append("---\n").Append(ToYaml(obj));
        }

        return sb.ToString();
    }

    /// <summary>One object as YAML: KubernetesJson gives the wire form, JsonYamlWriter the layout.</summary>
    public static string ToYaml(object obj)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj))
            ?? throw new InvalidOperationException("object serialized to null");
        return JsonYamlWriter.Write(node);
    }
}
