using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Members;

namespace HipaaMongo.Operator.Reconciliation.Evidence;

/// <summary>
/// What one pass leaves in the cluster for the next (key <see cref="DataKey"/> of the evidence ConfigMap, written in
/// the same apply as the evidence record): the control outcomes it announced, the member Warnings it announced, and
/// the last member verification. The next pass, in this process or in a restarted or newly elected one, reads it
/// back instead of remembering it, so an operator stopped at any point behaves as one that never stopped.
/// </summary>
public sealed record PassRecord
{
    public const string DataKey = "last-pass.json";

    public static PassRecord Empty { get; } = new();

    /// <summary>
    /// Each control's outcome as last announced (or first proven). A control never proven is absent, so its first
    /// proof is not announced as a recovery; a proven control that became Unknown stays, as Unknown, so its next
    /// proof is announced.
    /// </summary>
    public IReadOnlyDictionary<string, Outcome> Announced { get; init; } = new Dictionary<string, Outcome>(StringComparer.Ordinal);

    /// <summary>The member problems announced by scope (bootstrap, rotate, verify): a Warning goes out once per problem.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Warned { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>The last verification of the members: when, against what, and what each member showed. Null before the first.</summary>
    public LastVerification? Verification { get; init; }

    /// <summary>
    /// How many times the record has been written. An announcement decided from the record of sequence n is named
    /// by n (<see cref="Occurrence"/>), so one re-decided after a stop between its Event and this write names the
    /// same Event and is not repeated, and one decided after the write is a new Event.
    /// </summary>
    public long Sequence { get; init; }

    /// <summary>The key of an announcement about <paramref name="subject"/> decided from this stored record.</summary>
    public string Occurrence(string subject) => $"pass-record/{Sequence}/{subject}";

    /// <summary>Whether storing this record would change what <paramref name="stored"/> holds (the sequence aside).</summary>
    public bool DiffersFrom(PassRecord? stored) =>
        stored is null || PassRecordCodec.Serialize(this with { Sequence = stored.Sequence }) != PassRecordCodec.Serialize(stored);
}

/// <summary>A verification: its schedule facts and each member's result (the KMIP key id only as a digest).</summary>
public sealed record LastVerification(VerificationHistory History, IReadOnlyList<MemberVerification> Members);
