namespace HipaaMongo.Entities.Validation;

internal static class NetworkRules
{

    public static void Check(NetworkSpec? network, ErrorList errors)
    {
        var clients = network?.AllowedClients ?? [];
        errors.Check(clients.Count <= 32, "spec.network.allowedClients", "at most 32 allowed clients are allowed");
        for (var i = 0; i < clients.Count; i++)
        {
            var path = $"spec.network.allowedClients[{i}]";
            var client = clients[i];
            errors.Check(client.PodSelector is not null || client.NamespaceSelector is not null, path, SelectorReach.NoSelectorMessage);
            CheckSelector(client.NamespaceSelector, path + ".namespaceSelector", errors);
            CheckSelector(client.PodSelector, path + ".podSelector", errors);
            if (client.NamespaceSelector is { } namespaces)
                errors.Check(!SelectorReach.MatchesEveryNamespace(namespaces), path + ".namespaceSelector", SelectorReach.EveryNamespaceMessage);
            if (client.PodSelector is { } pods)
                errors.Check(!SelectorReach.MatchesEveryPod(pods), path + ".podSelector", SelectorReach.EveryPodMessage);
        }
    }

    private static void CheckSelector(LabelSelector? selector, string path, ErrorList errors)
    {
        foreach (var (key, value) in selector?.MatchLabels ?? [])
        {
            errors.Check(Names.IsLabelKey(key), $"{path}.matchLabels", $"invalid label key \"{key}\": an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_' or '.'");
            errors.Check(Names.IsLabelValue(value), $"{path}.matchLabels.{key}", "a label value is up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit");
        }

        var expressions = selector?.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            var e = expressions[i];
            var itemPath = $"{path}.matchExpressions[{i}]";
            errors.Check(Names.IsLabelKey(e.Key), itemPath + ".key", "key must be a label key such as app.kubernetes.io/name");
            if (!errors.Check(Enum.IsDefined(e.Operator), itemPath + ".operator",
                    "operator must be In, NotIn, Exists or DoesNotExist")) continue;
            var needsValues = e.Operator is LabelSelectorOperator.In or LabelSelectorOperator.NotIn;
            errors.Check(needsValues == ((e.Values?.Count ?? 0) > 0), itemPath + ".values",
                "values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist");
        }
    }
}
