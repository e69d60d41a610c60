using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Certificates;

/// <summary>Where a change of the cluster CA stands (docs/certificates.md, "When the CA is lost or replaced").</summary>
public enum CaStage
{
    /// <summary>Every leaf (member, operator, verifier) is issued by the CA in the CA Secret.</summary>
    Consistent,

    /// <summary>The CA Secret holds another CA than the one that issued some leaves: the leaves must be re-issued.</summary>
    LeavesOnPreviousCa,
}

/// <summary>One leaf certificate Secret and whether the current CA issued it (its signature verifies under that CA).</summary>
public sealed record CaLeaf(string Secret, bool IssuedByCurrentCa);

/// <summary>The stage, the leaves still on the previous CA, and the sentence for status and Events.</summary>
public sealed record CaChangeState(CaStage Stage, IReadOnlyList<string> StaleLeaves, string Message);

/// <summary>
/// Pure: is the cluster CA the one the leaves were issued by? cert-manager issues a new CA when the CA Secret is
/// deleted or replaced, but leaves it issued before stay on the old one until they are renewed; members keep
/// serving and trusting the old one. The decision is by issuer key (the signature), never by name: a re-issued CA
/// has the same subject.
/// </summary>
public static class CaChange
{
    public static CaChangeState Judge(string caSecret, IReadOnlyList<CaLeaf> leaves)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        var stale = leaves.Where(l => !l.IssuedByCurrentCa).Select(l => l.Secret).Order(StringComparer.Ordinal).ToList();
        return stale.Count == 0
            ? new(CaStage.Consistent, [], $"every certificate ({string.Join(", ", leaves.Select(l => l.Secret))}) is issued by the CA in Secret {caSecret}")
            : new(CaStage.LeavesOnPreviousCa, stale,
                $"the CA in Secret {caSecret} was replaced; still issued by the previous CA: {string.Join(", ", stale)}. "
                + "Stage: detected; the operator trusts the previous and the current CA so it keeps reaching the members, and heals it: "
                + "trust bundle, re-issue, rotateCertificates, then the previous CA dropped; the CertificateAuthority condition shows the stage "
                + "(docs/certificates.md)");
    }

    /// <summary>
    /// The CertificateAuthority condition from this verification's judgement; kept as stored when no credentials were
    /// loaded this pass (nothing due).
    /// </summary>
    public static bool Apply(List<V1Condition> conditions, CaChangeState? state, long? generation, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        return state switch
        {
            null => false,
            { Stage: CaStage.Consistent } => Conditions.Set(conditions, ConditionTypes.CertificateAuthority, Conditions.True,
                ConditionReasons.CaConsistent, state.Message, generation, now),
            _ => Conditions.Set(conditions, ConditionTypes.CertificateAuthority, Conditions.False, ConditionReasons.CaReplaced,
                state.Message, generation, now),
        };
    }
}
