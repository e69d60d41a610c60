namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// The LDAP options mongod also exposes as runtime parameters (secure-baseline.md 5.1, 7.1): getParameter is
/// authoritative for them and setParameter puts them back. The bind password (ldapQueryPassword) is a secret
/// and is never read, compared or set here.
/// </summary>
internal static class LdapParameters
{
    public sealed record Mapping(string Path, string Parameter);

    public static IReadOnlyList<Mapping> All { get; } =
    [
        new("security.ldap.servers", "ldapServers"),
        new("security.ldap.bind.queryUser", "ldapQueryUser"),
        new("security.ldap.userToDNMapping", "ldapUserToDNMapping"),
        new("security.ldap.authz.queryTemplate", "ldapAuthzQueryTemplate"),
        new("security.ldap.timeoutMS", "ldapTimeoutMS"),
    ];

    /// <summary>The runtime parameter for a config path, or null.</summary>
    public static string? For(string path) => All.FirstOrDefault(m => m.Path == path)?.Parameter;
}
