using k8s.Models;

namespace HipaaMongo.Entities;

/// <summary>Conversions from the API's own small types to the Kubernetes client models used when rendering.</summary>
public static class KubernetesConversions
{
    public static V1LabelSelector ToV1LabelSelector(this LabelSelector selector) => new()
    {
        MatchLabels = selector.MatchLabels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
        MatchExpressions = selector.MatchExpressions is { Count: > 0 } expressions
            ? [.. expressions.Select(e => new V1LabelSelectorRequirement
            {
                Key = e.Key,
                OperatorProperty = e.Operator.ToString(),
                Values = e.Values is { Count: > 0 } values ? [.. values] : null,
            })]
            : null,
    };

    public static V1ResourceRequirements ToV1ResourceRequirements(this ComputeResources resources) => new()
    {
        Requests = ToResourceList(resources.Requests),
        Limits = ToResourceList(resources.Limits),
    };

    private static Dictionary<string, ResourceQuantity>? ToResourceList(ResourceAmounts? amounts)
    {
        if (amounts is null) return null;
        var list = new Dictionary<string, ResourceQuantity>();
        if (!string.IsNullOrEmpty(amounts.Cpu)) list["cpu"] = new ResourceQuantity(amounts.Cpu);
        if (!string.IsNullOrEmpty(amounts.Memory)) list["memory"] = new ResourceQuantity(amounts.Memory);
        return list.Count > 0 ? list : null;
    }
}
