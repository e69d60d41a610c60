using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Certificates;

/// <summary>Where a change of the cluster CA stands, from the members' point of view (docs/certificates.md).</summary>
public enum CaTrustStage
{
    /// <summary>No CA or member certificate to judge yet: the condition is left as it is.</summary>
    Waiting,

    /// <summary>The bundle is the current CA alone, and the member certificate is issued by it.</summary>
    Consistent,

    /// <summary>The member certificate is on the previous CA: the bundle holds both; members load it.</summary>
    TrustingBoth,

    /// <summary>Every member accepts the current CA: the member certificate is being re-issued from it.</summary>
    Reissuing,

    /// <summary>The member certificate is on the current CA; members move onto it while the bundle keeps the previous CA.</summary>
    Rotating,

    /// <summary>The previous CA left the bundle; a re-issued member certificate proves each member re-read it.</summary>
    DroppingPrevious,
}

/// <summary>One CA certificate: its SHA-256 thumbprint (identity) and PEM (what goes in the bundle).</summary>
public sealed record CaCert(string Thumbprint, string Pem);

/// <summary>
/// What the trust step observed. Member facts come from the last verification (null: not known); the probe and the
/// identities from this pass's verification only (null when none ran), so a stage advances only on what was just seen.
/// </summary>
public sealed record CaTrustFacts
{
    /// <summary>The CA in the CA Secret (what the CA issuer signs with now); null before cert-manager made it.</summary>
    public CaCert? Current { get; init; }

    /// <summary>Whether the member certificate in its Secret is issued by <see cref="Current"/> (by key); null: no Secret yet.</summary>
    public bool? MemberLeafOnCurrent { get; init; }

    /// <summary>The ca.crt cert-manager wrote beside the member certificate, when it verifies that certificate.</summary>
    public CaCert? MemberLeafCa { get; init; }

    /// <summary>The member certificate's serial number (names the re-issue the drop waits for).</summary>
    public string? MemberLeafSerial { get; init; }

    /// <summary>The CAs in the live bundle (empty when it does not exist).</summary>
    public IReadOnlyList<CaCert> Bundle { get; init; } = [];

    /// <summary>The previous CA the live bundle was widened with (its annotation, a thumbprint), or null.</summary>
    public string? PreviousThumbprint { get; init; }

    /// <summary>The serial the live bundle's drop waits to see replaced (its annotation), or null.</summary>
    public string? AwaitingSerial { get; init; }

    /// <summary>Every member was seen serving the certificate in the member Secret (null: not verified).</summary>
    public bool? AllServeMemberLeaf { get; init; }

    /// <summary>How many members accepted a client certificate of the current CA in this pass, of how many (null: no probe).</summary>
    public (int Accepted, int Of)? Probe { get; init; }

    /// <summary>The operator's identities are issued by the current CA (null: none loaded this pass).</summary>
    public bool? IdentitiesOnCurrent { get; init; }

    /// <summary>The member Certificate has Issuing=True (an issuance in progress: not triggered again).</summary>
    public bool Issuing { get; init; }

    /// <summary>Whether the live bundle already holds exactly these CAs, in this order.</summary>
    public bool BundleIs(IReadOnlyList<CaCert> cas) => Bundle.Select(c => c.Thumbprint).SequenceEqual(cas.Select(c => c.Thumbprint));
}

/// <summary>
/// The bundle to hold (null: leave it), the previous CA it was widened with, the drop's awaited serial, whether to
/// re-issue the member certificate, and why.
/// </summary>
public sealed record CaTrustPlan(CaTrustStage Stage, IReadOnlyList<CaCert>? Bundle, string? AwaitingSerial, bool Reissue, string Message)
{
    public string? Previous { get; init; }
}

/// <summary>
/// Pure: the trust bundle and the next move of a CA change. The bundle only ever gains a CA that cert-manager wrote (the
/// CA Secret's, or the one beside the member certificate that verifies it); it keeps the previous CA only while a member
/// may still serve, or be reached with, a certificate it issued; anything else in it is dropped.
/// </summary>
public static class CaTrustPlanner
{
    /// <summary>The CertificateAuthority condition from this pass's plan; kept as stored when there is none (nothing looked at).</summary>
    public static bool Apply(List<V1Condition> conditions, CaTrustPlan? plan, long? generation, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        return plan switch
        {
            null or { Stage: CaTrustStage.Waiting } => false,
            { Stage: CaTrustStage.Consistent } => Conditions.Set(conditions, ConditionTypes.CertificateAuthority, Conditions.True,
                ConditionReasons.CaConsistent, plan.Message, generation, now),
            _ => Conditions.Set(conditions, ConditionTypes.CertificateAuthority, Conditions.False, ConditionReasons.CaReplaced, plan.Message,
                generation, now),
        };
    }

    public static CaTrustPlan Decide(CaTrustFacts f, string caSecret, string bundle)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (f.Current is not { } current)
        {
            return new(CaTrustStage.Waiting, null, f.AwaitingSerial, false, $"waiting for cert-manager to issue the CA in Secret {caSecret}");
        }
        return f.MemberLeafOnCurrent switch
        {
            null => new(CaTrustStage.Waiting, [current], null, false, "waiting for cert-manager to issue the member certificate"),
            false when f.MemberLeafCa is { } previous && previous.Thumbprint != current.Thumbprint => Widen(f, current, previous, caSecret, bundle),
            // The member Secret's ca.crt does not verify its certificate: nothing to bridge with; re-issue at once.
            false => new(CaTrustStage.Reissuing, [current], null, !f.Issuing,
                $"the member certificate is not issued by the CA in Secret {caSecret}, nor by the ca.crt beside it. Stage: re-issuing it from the current CA"),
            true => OnCurrent(f, current, bundle),
        };
    }

    // The member certificate is still on the previous CA: trust both, and re-issue once every member accepts the current one.
    private static CaTrustPlan Widen(CaTrustFacts f, CaCert current, CaCert previous, string caSecret, string bundle)
    {
        CaCert[] both = [current, previous];
        var loaded = f.Probe is { } p && p.Accepted == p.Of && p.Of > 0;
        var head = $"the CA in Secret {caSecret} was replaced; the member certificate is still issued by the previous CA. ";
        if (f.Issuing || (loaded && f.BundleIs(both)))
        {
            return new(CaTrustStage.Reissuing, both, null, !f.Issuing,
                head + $"Stage: every member trusts both CAs (ConfigMap {bundle}); re-issuing the member certificate from the current CA")
            { Previous = previous.Thumbprint };
        }
        var probe = f.Probe is { } seen ? $"{seen.Accepted} of {seen.Of} members accept" : "not yet seen which members accept";
        return new(CaTrustStage.TrustingBoth, both, null, false,
            head + $"Stage: detected; the trust bundle (ConfigMap {bundle}) holds the current and the previous CA, and the members load it with "
            + $"rotateCertificates ({probe} a certificate of the current CA). Next: re-issue the member certificate")
        { Previous = previous.Thumbprint };
    }

    private static CaTrustPlan OnCurrent(CaTrustFacts f, CaCert current, string bundle)
    {
        // Only the previous CA the bundle was widened with is kept, and only until every member serves the current
        // CA's certificate and the operator's identities are on it.
        var kept = f.Bundle.Where(c => c.Thumbprint != current.Thumbprint && c.Thumbprint == f.PreviousThumbprint).ToList();
        if (kept.Count > 0 && !(f.AllServeMemberLeaf == true && f.IdentitiesOnCurrent == true))
        {
            return new(CaTrustStage.Rotating, [current, .. kept], null, false,
                $"Stage: the member certificate is issued by the current CA; the members rotate onto it while ConfigMap {bundle} still trusts "
                + "the previous CA. Next: drop the previous CA")
            { Previous = f.PreviousThumbprint };
        }
        // Anything else beside the current CA (the previous one now, or a CA someone added) goes, and a member may have
        // loaded it: the member certificate is re-issued, so that each member re-reads the bundle when it rotates onto it.
        if (f.Bundle.Count > 0 && !f.BundleIs([current]))
        {
            return new(CaTrustStage.DroppingPrevious, [current], f.MemberLeafSerial, !f.Issuing,
                $"Stage: ConfigMap {bundle} goes back to the current CA alone; the member certificate is re-issued once more so that each "
                + "member, serving it, has re-read the bundle");
        }
        if (f.AwaitingSerial is { } awaited && (awaited == f.MemberLeafSerial || f.AllServeMemberLeaf != true))
        {
            return new(CaTrustStage.DroppingPrevious, [current], awaited, awaited == f.MemberLeafSerial && !f.Issuing,
                $"Stage: ConfigMap {bundle} trusts the current CA alone; waiting for every member to serve the re-issued member certificate");
        }
        return new(CaTrustStage.Consistent, [current], null, false,
            $"the member certificate is issued by the current CA, and ConfigMap {bundle} trusts it alone");
    }
}
