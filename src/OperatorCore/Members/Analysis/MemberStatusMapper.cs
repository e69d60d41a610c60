using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>Maps one verification onto the member's entry in status.members (pure).</summary>
public static class MemberStatusMapper
{
    /// <summary>The schema's maxItems for status.members[].drift.</summary>
    public const int MaxDrift = 64;

    public static MemberStatus ToStatus(MemberVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return new MemberStatus
        {
            Name = verification.PodName,
            Role = verification.Role,
            Health = Health(verification),
            VerifiedAt = verification.Reachable ? verification.ObservedAt.UtcDateTime : null,
            TlsExpiry = verification.TlsExpiry?.UtcDateTime,
            // The id the member itself reports (an identifier, not key material), so `kubectl describe` shows which
            // KMIP key each member holds; the schema bounds it.
            KmipKeyId = verification.Parameters?.KmipKeyId is { Length: > 0 and <= 256 } keyId ? keyId : null,
            Drift = Drift(verification),
        };
    }

    // Healthy needs a full, clean read: reachable, no failure, nothing left uncorrected, every correction applied
    // and the member healthy in the replica set. A member not reached, or reached but not fully read, is Unknown:
    // nothing was proven either way, as the compliance checks treat it.
    private static MemberHealth Health(MemberVerification v)
    {
        if (!v.Reachable)
        {
            return MemberHealth.Unknown;
        }

        if (v.Failure is not null || v.Uncorrectable.Count > 0 || v.Corrections.Any(c => !c.Applied))
        {
            return MemberHealth.Unhealthy;
        }

        return v.Parameters?.ReplicaHealthy switch
        {
            true => MemberHealth.Healthy,
            false => MemberHealth.Unhealthy,
            null => MemberHealth.Unknown,
        };
    }

    /// <summary>Corrected settings by name, then the uncorrectable findings; capped at the schema's 64 items.</summary>
    private static List<string>? Drift(MemberVerification v)
    {
        var all = v.Corrections.Select(c => c.Setting).Distinct(StringComparer.Ordinal).Concat(v.Uncorrectable).ToList();
        if (all.Count == 0)
        {
            return null;
        }

        return all.Count <= MaxDrift ? all : [.. all.Take(MaxDrift - 1), $"and {all.Count - (MaxDrift - 1)} more"];
    }
}
