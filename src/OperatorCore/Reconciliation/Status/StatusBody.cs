using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.KeyManagement;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;

namespace HipaaMongo.Operator.Reconciliation.Status;

/// <summary>The status fields besides conditions: readyMembers, members, tlsExpiresAt, compliance, phiAccess, featureCompatibilityVersion.</summary>
public sealed record StatusBody(int? ReadyMembers, List<MemberStatus>? Members, DateTime? TlsExpiresAt, ComplianceSummary? Compliance,
    List<string>? PhiAccess = null, string? FeatureCompatibilityVersion = null)
{
    public static StatusBody Of(HipaaMongoStatus? status) =>
        new(status?.ReadyMembers, status?.Members, status?.TlsExpiresAt, status?.Compliance, status?.PhiAccess, status?.FeatureCompatibilityVersion);

    /// <summary>
    /// Pure. <paramref name="verified"/> is the last verification (null before the first since this operator started:
    /// the stored members stay, and readyMembers keeps the StatefulSet's readyReplicas meaning). compliance.evaluatedAt
    /// moves when a verification ran in this pass or the outcome changed; otherwise the stored time stays, so a pass
    /// with nothing due writes nothing.
    /// </summary>
    public static StatusBody Plan(HipaaMongoStatus? current, IReadOnlyList<MemberVerification>? verified, int statefulSetReadyReplicas,
        ComplianceReport report, bool verifiedThisPass, DateTimeOffset? memberCertificateNotAfter, List<string>? phiAccess = null,
        string? featureCompatibilityVersion = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var members = verified?.Select(MemberStatusMapper.ToStatus).Select(m => WithPrevious(m, current?.Members)).ToList() ?? current?.Members;
        var ready = verified is null ? statefulSetReadyReplicas : members!.Count(m => m.Health == MemberHealth.Healthy);
        var served = verified?.Where(v => v.TlsExpiry is not null).Select(v => v.TlsExpiry!.Value).DefaultIfEmpty().Min();
        var tls = served is { } s && s != default ? StatusTime.Seconds(s)
            : memberCertificateNotAfter is { } n ? StatusTime.Seconds(n)
            : current?.TlsExpiresAt;
        // FCV is read only by a pass that looks at the rollout: the stored value stays until a read moves it.
        return new StatusBody(ready, members, tls, PlanCompliance(current?.Compliance, report, verifiedThisPass), phiAccess,
            featureCompatibilityVersion ?? current?.FeatureCompatibilityVersion);
    }

    // A member not read in this verification (restarting, unreachable) keeps the key it last reported, so a rotation
    // that restarts it is seen as one change from the old key to the new, with the old one kept as previous.
    private static MemberStatus WithPrevious(MemberStatus member, List<MemberStatus>? recorded)
    {
        // A pass that did not verify plans from the stored verification, whose key ids are digests: not what the
        // member reported, so the recorded id stays.
        var before = recorded?.FirstOrDefault(r => r.Name == member.Name);
        if (member.KmipKeyId is null || KeyManagement.KeyIdDigest.IsDigest(member.KmipKeyId))
        {
            member.KmipKeyId = KeyManagement.KeyIdDigest.IsDigest(before?.KmipKeyId) ? null : before?.KmipKeyId;
        }
        var previous = MasterKeyChanges.PreviousOf(before, member.KmipKeyId);
        member.PreviousKmipKeyId = previous is { Length: <= 256 } ? previous : null;
        return member;
    }

    /// <summary>Whether writing this body would change what is stored.</summary>
    public bool DiffersFrom(StatusBody stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return Key() != stored.Key();
    }

    private static ComplianceSummary PlanCompliance(ComplianceSummary? stored, ComplianceReport report, bool verifiedThisPass)
    {
        var planned = report.ToStatus();
        planned.EvaluatedAt = StatusTime.Seconds(report.EvaluatedAt);
        if (!verifiedThisPass && stored is not null && Outcome(stored) == Outcome(planned))
        {
            planned.EvaluatedAt = stored.EvaluatedAt;
        }
        return planned;
    }

    private static string Outcome(ComplianceSummary c) =>
        $"{c.Compliant}|{c.Passed}|{c.Total}|{string.Join(",", c.Failing ?? [])}";

    private string Key()
    {
        var members = string.Join(";", (Members ?? []).Select(m =>
            $"{m.Name}|{m.Role}|{m.Health}|{StatusTime.Key(m.VerifiedAt)}|{StatusTime.Key(m.TlsExpiry)}|{string.Join(",", m.Drift ?? [])}|{m.KmipKeyId}|{m.PreviousKmipKeyId}"));
        var compliance = Compliance is null ? "-" : $"{Outcome(Compliance)}|{StatusTime.Key(Compliance.EvaluatedAt)}";
        return $"{ReadyMembers}#{members}#{StatusTime.Key(TlsExpiresAt)}#{compliance}#{string.Join("\n", PhiAccess ?? [])}#{FeatureCompatibilityVersion}";
    }
}
