using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>Selector operators (k8s.io/apimachinery/pkg/selection).</summary>
public enum SelectorOperator
{
    Equals,
    DoubleEquals,
    NotEquals,
    In,
    NotIn,
    Exists,
    DoesNotExist,
    GreaterThan,
    LessThan,
}

/// <summary>One requirement of a label selector, e.g. <c>env in (a,b)</c>.</summary>
public sealed record LabelRequirement(string Key, SelectorOperator Operator, IReadOnlyList<string> Values);

/// <summary>
/// A parsed label selector (k8s.io/apimachinery/pkg/labels): requirements ANDed together.
/// Parse the query-string form with <see cref="Parse"/> or the metav1.LabelSelector JSON with <see cref="FromJson"/>.
/// </summary>
public sealed class LabelSelector
{
    internal LabelSelector(IReadOnlyList<LabelRequirement> requirements, bool matchesNothing = false)
    {
        Requirements = requirements;
        MatchesNothing = matchesNothing;
    }

    /// <summary>The requirements, all of which must hold.</summary>
    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>True for the everything-selector (empty string or <c>{}</c>).</summary>
    public bool IsEverything => Requirements.Count == 0 && !MatchesNothing;

    /// <summary>True for a null metav1.LabelSelector, which selects nothing.</summary>
    public bool MatchesNothing { get; }

    /// <summary>Parses <c>a=b,c!=d,e in (x,y),!f,g</c>; throws <see cref="SelectorException"/> with kube-apiserver's text.</summary>
    public static LabelSelector Parse(string? text) => LabelSelectorParser.Parse(text ?? "");

    /// <summary>From metav1.LabelSelector JSON (<c>matchLabels</c>, <c>matchExpressions</c>); null selects nothing.</summary>
    public static LabelSelector FromJson(JsonObject? selector) => LabelSelectorParser.FromJson(selector);

    /// <summary>Matches a label map.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        return !MatchesNothing && Requirements.All(r => LabelSelectorParser.Matches(r, labels));
    }

    /// <summary>Matches the <c>metadata.labels</c> object of a Kubernetes object (absent labels = none).</summary>
    public bool Matches(JsonObject? labels) => Matches(ToDictionary(labels));

    /// <summary>The canonical string form (requirements sorted by key, as kube prints them).</summary>
    public override string ToString() => LabelSelectorParser.Print(this);

    private static Dictionary<string, string> ToDictionary(JsonObject? labels)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels ?? [])
        {
            if (Json.AsString(value) is { } s)
            {
                map[key] = s;
            }
        }

        return map;
    }
}
