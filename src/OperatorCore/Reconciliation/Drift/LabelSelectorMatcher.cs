using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>metav1.LabelSelector semantics: matchLabels and matchExpressions are ANDed; an empty selector matches all.</summary>
internal static class LabelSelectorMatcher
{
    public static bool Matches(V1LabelSelector? selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector is null)
        {
            return true;
        }

        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>())
            .All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);
        return byLabels && (selector.MatchExpressions ?? []).All(e => Matches(e, labels));
    }

    /// <summary>An operator the API server would have refused counts as a match, so it is reported rather than missed.</summary>
    private static bool Matches(V1LabelSelectorRequirement requirement, IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(requirement.Key, out var value);
        var values = requirement.Values ?? [];
        return requirement.OperatorProperty switch
        {
            "In" => present && values.Contains(value!),
            "NotIn" => !present || !values.Contains(value!),
            "Exists" => present,
            "DoesNotExist" => !present,
            _ => true,
        };
    }
}
