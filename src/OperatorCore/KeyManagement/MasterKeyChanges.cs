using HipaaMongo.Entities;
using HipaaMongo.Operator.Members;

namespace HipaaMongo.Operator.KeyManagement;

/// <summary>One member found on another KMIP master key than the status last recorded for it.</summary>
public sealed record MasterKeyChange(string Pod, string Previous, string Current)
{
    public string Message => $"{Pod} now runs on KMIP master key {Current} (was {Previous})";
}

/// <summary>
/// Pure: which members changed master key since the status last recorded them, from the key id each member reports
/// (never from the spec), so a rotation is evidenced by the members themselves, whoever caused it. Key ids are
/// identifiers, not key material.
/// </summary>
public static class MasterKeyChanges
{
    public static IReadOnlyList<MasterKeyChange> Between(IReadOnlyList<MemberStatus>? recorded, IEnumerable<MemberVerification> verified)
    {
        ArgumentNullException.ThrowIfNull(verified);
        return
        [
            .. verified
                .Select(v => (v.PodName, Current: v.Parameters?.KmipKeyId, Previous: recorded?.FirstOrDefault(m => m.Name == v.PodName)?.KmipKeyId))
                .Where(c => c is { Current.Length: > 0, Previous.Length: > 0 } && c.Current != c.Previous && !Digest(c.Current) && !Digest(c.Previous))
                .Select(c => new MasterKeyChange(c.PodName, c.Previous!, c.Current!)),
        ];
    }

    // A stored verification keeps digests of key ids (PassRecordCodec), which are not ids a member reported.
    private static bool Digest(string? id) => KeyIdDigest.IsDigest(id);

    /// <summary>
    /// The key a member ran on before its current one, for status.members[].previousKmipKeyId: the recorded key when
    /// the member now reports another; else what was recorded as previous (kept until the next change).
    /// </summary>
    public static string? PreviousOf(MemberStatus? recorded, string? current) =>
        recorded?.KmipKeyId is { Length: > 0 } was && !Digest(was) && current is { Length: > 0 } && !Digest(current) && current != was
            ? was
            : recorded?.PreviousKmipKeyId;
}
