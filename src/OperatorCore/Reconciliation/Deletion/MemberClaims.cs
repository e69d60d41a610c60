using HipaaMongo.Operator.Baseline;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Deletion;

/// <summary>
/// Which PersistentVolumeClaims hold one HipaaMongo's data: the StatefulSet controller names them
/// <c>&lt;claim template&gt;-&lt;set&gt;-&lt;ordinal&gt;</c> (kubernetes stateful_set_utils.go
/// getPersistentVolumeClaimName) and labels them with the set's selector. Both must hold, in the resource's own
/// namespace, so a similarly named claim of another resource (<c>data-phi-db-1-0</c> of <c>phi-db-1</c> is not
/// <c>data-phi-db-1</c>'s ordinal) or a hand-made claim is never matched. Ordinals of scaled-away members count.
/// </summary>
public static class MemberClaims
{
    /// <summary>The claims among <paramref name="claims"/> that belong to resource <paramref name="name"/> in <paramref name="ns"/>.</summary>
    public static IReadOnlyList<V1PersistentVolumeClaim> Of(string ns, string name, IEnumerable<V1PersistentVolumeClaim> claims)
    {
        ArgumentNullException.ThrowIfNull(claims);
        return [.. claims.Where(c => Belongs(ns, name, c)).OrderBy(c => c.Metadata.Name, StringComparer.Ordinal)];
    }

    /// <summary>True when <paramref name="claim"/> is a data claim of resource <paramref name="name"/>.</summary>
    public static bool Belongs(string ns, string name, V1PersistentVolumeClaim claim)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var meta = claim.Metadata;
        return meta?.NamespaceProperty == ns
            && meta.Name is { } claimName
            && IsMemberName(claimName, name)
            && Labels.Selector(name).All(l => meta.Labels?.TryGetValue(l.Key, out var v) == true && v == l.Value);
    }

    /// <summary>The label selector (as a query string) that narrows a list to candidate claims.</summary>
    public static string LabelSelector(string name) =>
        string.Join(',', Labels.Selector(name).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    private static bool IsMemberName(string claimName, string name)
    {
        var prefix = $"{PodVolumes.Data}-{Names.StatefulSet(name)}-";
        if (!claimName.StartsWith(prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var ordinal = claimName.AsSpan(prefix.Length);
        // Go's strconv.Atoi as the controller formats it: decimal digits, no sign, no leading zero but "0".
        return ordinal.Length > 0 && ordinal.Length <= 9 && ordinal.ToString().All(char.IsAsciiDigit)
            && (ordinal.Length == 1 || ordinal[0] != '0');
    }
}
