using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;

namespace HipaaMongo.MongodSimulator.Auth.Ldap;

/// <summary>
/// security.ldap.* as PSMDB reads them (src/mongo/db/ldap_options.idl): transportSecurity tls, bind.method simple,
/// validateLDAPServerConfig true and userToDNMapping '[{match: "(.+)", substitution: "{0}"}]' by default. The servers,
/// mapping, query template and timeout are runtime parameters (ldapServers, ldapUserToDNMapping,
/// ldapAuthzQueryTemplate, ldapTimeoutMS), so they are read from the parameter store at each use, as mongod reads
/// ldapGlobalParams. Null when security.ldap.servers is not set (PSMDB creates no LDAPManager then) or in Community.
/// </summary>
internal sealed record LdapSettings(
    IReadOnlyList<(string Host, int Port)> Servers,
    string TransportSecurity,
    string BindMethod,
    string QueryUser,
    string QueryPassword,
    string UserToDnMapping,
    string? AuthzQueryTemplate,
    TimeSpan Timeout,
    bool ValidateServerConfig,
    LdapClientConf Client)
{
    /// <summary>PSMDB ldap_options.idl, ldapUserToDNMapping default: the user name is the DN.</summary>
    public const string DefaultMapping = "[{match: \"(.+)\", substitution: \"{0}\"}]";

    /// <summary>ldaps:// is LDAP's default TLS port (RFC 4516 §2 leaves it to the scheme; IANA ldaps 636).</summary>
    private const int LdapsPort = 636;

    public static LdapSettings? From(MongodConfig config, ParameterStore parameters, LdapClientConf client)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(parameters);
        // Community has no LDAP (the parameters exist only in the commercial editions).
        var servers = parameters.Contains("ldapServers") ? parameters.GetString("ldapServers") : "";
        if (string.IsNullOrWhiteSpace(servers))
        {
            return null;
        }

        var mapping = parameters.GetString("ldapUserToDNMapping");
        var template = parameters.GetString("ldapAuthzQueryTemplate");
        return new LdapSettings(
            [.. servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(HostPort)],
            config.GetString("security.ldap.transportSecurity") ?? "tls",
            config.GetString("security.ldap.bind.method") ?? "simple",
            parameters.GetString("ldapQueryUser"),
            config.GetString("security.ldap.bind.queryPassword") ?? "",
            mapping.Length == 0 ? DefaultMapping : mapping,
            template.Length == 0 ? null : template,
            TimeSpan.FromMilliseconds(parameters.GetInt("ldapTimeoutMS")),
            config.Get("security.ldap.validateLDAPServerConfig")?.AsBoolean ?? true,
            client);
    }

    private static (string, int) HostPort(string server)
    {
        var colon = server.LastIndexOf(':');
        return colon > 0 && int.TryParse(server.AsSpan(colon + 1), out var port)
            ? (server[..colon], port)
            : (server, LdapsPort);
    }
}
