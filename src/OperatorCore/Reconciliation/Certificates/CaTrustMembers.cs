using HipaaMongo.Operator.Members;

namespace HipaaMongo.Operator.Reconciliation.Certificates;

/// <summary>
/// What the trust step needs from the member step: whether the members were read in this pass, what each served,
/// how many accepted the new CA's probe identity, and the CA judgement of the credentials.
/// </summary>
public sealed record CaTrustMembers(bool VerifiedNow, IReadOnlyList<MemberVerification>? Members, (int Accepted, int Of)? Probe, CaChangeState? Ca)
{
    public static CaTrustMembers NotRead { get; } = new(false, null, null, null);
}
