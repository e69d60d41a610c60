namespace HipaaMongo.Operator.Members.Connection;

/// <summary>Opens sessions on members as one of the operator's identities, over the shared client pool.</summary>
internal sealed class MemberSessions(MemberClientPool pool)
{
    /// <summary>A session, or null when the identity has no certificate (no member certificate was given).</summary>
    public MemberSession? Open(MemberTarget member, MemberIdentity identity, MemberCredentials credentials)
    {
        var certificate = identity switch
        {
            MemberIdentity.Operator => credentials.Operator,
            MemberIdentity.Verifier => credentials.Verifier,
            _ => credentials.Member,
        };
        return certificate is null
            ? null
            : new MemberSession(() => pool.Get(member, identity, certificate, credentials.TrustedCa), $"{member.PodName} ({member.Host}:{member.Port})",
                pool.Evict, pool.CommandDeadline);
    }
}
