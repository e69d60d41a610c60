using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

[Description("Network access. A default-deny NetworkPolicy always selects the members; this only lists who else may connect on the MongoDB port.")]
public sealed class NetworkSpec
{
    [JsonPropertyName("allowedClients")]
    [Description("Client pods allowed to reach the members, as NetworkPolicy peers. Members, the operator and DNS need no entry.")]
    [MaxItems(32)]
    public List<AllowedClient>? AllowedClients { get; set; }
}

[Description("A NetworkPolicy peer: pods matching podSelector (every pod when absent) in namespaces matching namespaceSelector (the HipaaMongo's namespace when absent). A selector that is present must require a label that an arbitrary namespace or pod does not have.")]
[CelRule("has(self.podSelector) || has(self.namespaceSelector)", Validation.SelectorReach.NoSelectorMessage)]
public sealed class AllowedClient
{
    [JsonPropertyName("namespaceSelector")]
    [Description("Selects the client namespaces. It may not match every namespace: {}, Exists on kubernetes.io/metadata.name, DoesNotExist and NotIn alone are refused.")]
    [CelRule(Validation.SelectorReach.NamespaceCel, Validation.SelectorReach.EveryNamespaceMessage)]
    public LabelSelector? NamespaceSelector { get; set; }

    [JsonPropertyName("podSelector")]
    [Description("Selects the client pods. It may not match every pod: {}, DoesNotExist and NotIn alone are refused.")]
    [CelRule(Validation.SelectorReach.PodCel, Validation.SelectorReach.EveryPodMessage)]
    public LabelSelector? PodSelector { get; set; }
}

[Description("A Kubernetes label selector; the requirements are ANDed.")]
public sealed class LabelSelector
{
    [JsonPropertyName("matchLabels")]
    [Description("Labels that must all be present with these values.")]
    [MaxItems(32)]
    [MaxLength(63)]
    public Dictionary<string, string>? MatchLabels { get; set; }

    [JsonPropertyName("matchExpressions")]
    [Description("Set-based label requirements.")]
    [MaxItems(16)]
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }
}

[Description("A set-based label requirement.")]
[CelRule("(self.operator in ['In', 'NotIn']) == (has(self.values) && size(self.values) > 0)",
    "values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist")]
public sealed class LabelSelectorRequirement
{
    [JsonPropertyName("key")]
    [Required]
    [Description("The label key.")]
    [MinLength(1)]
    [MaxLength(317)]
    public string Key { get; set; } = "";

    [JsonPropertyName("operator")]
    [Required]
    [Description("In, NotIn, Exists or DoesNotExist.")]
    public LabelSelectorOperator Operator { get; set; }

    [JsonPropertyName("values")]
    [Description("The values for In and NotIn.")]
    [MaxItems(64)]
    [MaxLength(63)]
    public List<string>? Values { get; set; }
}
