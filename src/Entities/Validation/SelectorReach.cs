namespace HipaaMongo.Entities.Validation;

/// <summary>
/// Whether a label selector that opens the network can match everything, decided by its set semantics.
/// A selector is the AND of its requirements, so it admits "everything" exactly when no requirement excludes a
/// newcomer: an object nobody chose, carrying only the labels the API server puts on every object of its kind.
/// For a namespace that is <c>kubernetes.io/metadata.name</c> = its own name (a fresh name, so in no value list);
/// a pod carries no label every pod has. Per requirement, on the newcomer:
/// matchLabels k: v and <c>In</c> exclude it (it lacks the value); <c>NotIn</c> admits it (its value, if any, is
/// fresh); <c>Exists</c> admits it only on the key every such object carries; <c>DoesNotExist</c> admits it on
/// every other key. So <c>{}</c>, <c>Exists</c> on kubernetes.io/metadata.name, any <c>DoesNotExist</c> and any
/// <c>NotIn</c>, alone or ANDed together, admit everything; one matchLabels entry, <c>In</c>, or <c>Exists</c> on
/// another key makes the selector require something an arbitrary namespace or pod does not have.
/// The CRD says the same in CEL (<see cref="NamespaceCel"/>, <see cref="PodCel"/>).
/// </summary>
public static class SelectorReach
{
    /// <summary>The label the API server sets on every namespace (NamespaceDefaultLabelName, GA in 1.22).</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public const string NoSelectorMessage = "an allowed client needs a namespaceSelector, a podSelector or both";

    public const string EveryNamespaceMessage =
        "namespaceSelector matches every namespace (a new namespace with no labels would match): require a label, e.g. matchLabels {kubernetes.io/metadata.name: <namespace>}";

    public const string EveryPodMessage =
        "podSelector matches every pod (a pod with no labels would match): require a label, e.g. matchLabels {app: <client>}; to admit every pod of the selected namespaces, omit podSelector";

    /// <summary>CEL on a namespaceSelector node: true when it excludes a newcomer namespace.</summary>
    public const string NamespaceCel =
        "(has(self.matchLabels) && size(self.matchLabels) > 0) || (has(self.matchExpressions) && self.matchExpressions.exists(e, e.operator == 'In' || (e.operator == 'Exists' && e.key != '" + NamespaceNameLabel + "') || (e.operator == 'DoesNotExist' && e.key == '" + NamespaceNameLabel + "')))";

    /// <summary>CEL on a podSelector node: true when it excludes a pod with no labels.</summary>
    public const string PodCel =
        "(has(self.matchLabels) && size(self.matchLabels) > 0) || (has(self.matchExpressions) && self.matchExpressions.exists(e, e.operator == 'In' || e.operator == 'Exists'))";

    /// <summary>True when the namespace selector matches a namespace nobody chose.</summary>
    public static bool MatchesEveryNamespace(LabelSelector selector) => AdmitsNewcomer(selector, NamespaceNameLabel);

    /// <summary>True when the pod selector matches a pod with no labels.</summary>
    public static bool MatchesEveryPod(LabelSelector selector) => AdmitsNewcomer(selector, alwaysPresent: null);

    private static bool AdmitsNewcomer(LabelSelector selector, string? alwaysPresent) =>
        (selector.MatchLabels?.Count ?? 0) == 0
        && (selector.MatchExpressions ?? []).All(e => e.Operator switch
        {
            LabelSelectorOperator.NotIn => true,
            LabelSelectorOperator.Exists => e.Key == alwaysPresent,
            LabelSelectorOperator.DoesNotExist => e.Key != alwaysPresent,
            _ => false, // In, and any operator the schema refuses anyway
        });
}
