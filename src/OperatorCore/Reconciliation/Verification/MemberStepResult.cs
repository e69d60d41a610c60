using HipaaMongo.Operator.KeyManagement;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Evidence;

namespace HipaaMongo.Operator.Reconciliation.Verification;

public enum VerificationState
{
    /// <summary>No member can be read yet (no pod Ready, or not every pod Ready before the first bootstrap).</summary>
    PodsNotReady,

    /// <summary>The last verification is still fresh and nothing changed since.</summary>
    NotDue,

    /// <summary>Credentials or bootstrap not ready yet; try again soon.</summary>
    Waiting,

    /// <summary>Every member was verified (reached or not) in this pass.</summary>
    Verified,
}

public sealed record VerificationRun(VerificationState State, string? Message = null);

/// <summary>
/// What the member step leaves for status, evidence and the next pass: how the step went, the last verification
/// (this pass's, or the previous pass record's when none was due) and the member Warnings announced so far.
/// </summary>
public sealed record MemberStepResult(VerificationRun Run, LastVerification? Verification, IReadOnlyDictionary<string, IReadOnlyList<string>> Warned,
    KeyManagementObservation? KeyManagement = null, Certificates.CaChangeState? Ca = null)
{
    /// <summary>While the member certificate is on the previous CA: how many members accepted the current CA now, of how many.</summary>
    public (int Accepted, int Of)? CaProbe { get; init; }

    /// <summary>The operator's LDAPS probe of this verification (null: no spec.ldap, or no verification this pass).</summary>
    public Ldap.DirectoryObservation? Directory { get; init; }

    /// <summary>Who can remove, drop or update in a PHI database, from the users' own status (null: nobody).</summary>
    public List<string>? PhiAccess { get; init; }

    /// <summary>The last verification of each member, null before the first.</summary>
    public IReadOnlyList<MemberVerification>? Members => Verification?.Members;

    public bool VerifiedNow => Run.State == VerificationState.Verified;

    /// <summary>What the CA trust step reads from this result.</summary>
    public Certificates.CaTrustMembers ForCaTrust => new(VerifiedNow, Members, CaProbe, Ca);
}
