namespace HipaaMongo.Operator.Ldap;

/// <summary>
/// What the operator's own directory probe saw: the LDAP servers tried (host:port, in spec order), the one that
/// completed an LDAPS handshake with a certificate the members would accept (null when none did), and why none did.
/// </summary>
public sealed record DirectoryObservation(IReadOnlyList<string> Servers, string? AnsweredBy, string? Failure)
{
    public bool Reachable => AnsweredBy is not null;
}
