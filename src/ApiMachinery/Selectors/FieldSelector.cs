namespace HipaaMongo.ApiMachinery;

/// <summary>One field selector term, e.g. <c>metadata.name=a</c>.</summary>
public sealed record FieldRequirement(string Field, SelectorOperator Operator, string Value);

/// <summary>A parsed field selector (k8s.io/apimachinery/pkg/fields): <c>=</c>, <c>==</c>, <c>!=</c> terms ANDed.</summary>
public sealed class FieldSelector
{
    internal FieldSelector(IReadOnlyList<FieldRequirement> requirements) => Requirements = requirements;

    /// <summary>The terms, all of which must hold.</summary>
    public IReadOnlyList<FieldRequirement> Requirements { get; }

    /// <summary>True for the empty selector.</summary>
    public bool IsEverything => Requirements.Count == 0;

    /// <summary>Parses <c>metadata.name=a,metadata.namespace!=b</c> (with <c>\,</c> <c>\=</c> <c>\\</c> escapes).</summary>
    public static FieldSelector Parse(string? text) => FieldSelectorParser.Parse(text ?? "");

    /// <summary>
    /// Throws <see cref="SelectorException"/> <c>field label not supported: spec.foo</c> for a field the
    /// resource does not index (kube-apiserver answers 400).
    /// </summary>
    public void EnsureSupported(IEnumerable<string> supportedFields)
    {
        var supported = supportedFields.ToHashSet(StringComparer.Ordinal);
        foreach (var r in Requirements.Where(r => !supported.Contains(r.Field)))
        {
            throw new SelectorException($"field label not supported: {r.Field}");
        }
    }

    /// <summary>Matches with a lookup from field name to value (null when the object has no value: treated as "").</summary>
    public bool Matches(Func<string, string?> fieldValue)
    {
        ArgumentNullException.ThrowIfNull(fieldValue);
        return Requirements.All(r => (fieldValue(r.Field) ?? "") == r.Value == (r.Operator != SelectorOperator.NotEquals));
    }

    /// <summary>The canonical string form.</summary>
    public override string ToString() => FieldSelectorParser.Print(this);
}
