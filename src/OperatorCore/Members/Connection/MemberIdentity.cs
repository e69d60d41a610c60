namespace HipaaMongo.Operator.Members.Connection;

/// <summary>Which of the operator's certificates a connection authenticates with.</summary>
public enum MemberIdentity
{
    Verifier,
    Operator,
    Member,
}
