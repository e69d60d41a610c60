using System.Text;
using System.Text.RegularExpressions;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Auth.Ldap;

/// <summary>Where an LDAP server name is reached (a simulated cluster's DNS); null: the name does not resolve.</summary>
public delegate System.Net.IPEndPoint? LdapAddressResolver(string host, int port);

/// <summary>A directory login: the user as mongod names it ($external.user) and the group DNs the authz query returned.</summary>
internal sealed record LdapLogin(string User, IReadOnlyList<string> Groups);

/// <summary>
/// mongod's LDAP authentication and authorization as PSMDB implements them, rule by rule
/// (docs/mongod-simulator.md, "LDAP"):
/// - PLAIN on $external binds to the directory as the mapped DN with the given password, and refuses an empty
///   password before any bind (external_sasl_authentication_session.cpp, OpenLDAPServerMechanism::stepImpl);
/// - userToDNMapping rules are tried in order, the first whose regex matches the whole name wins; a substitution
///   fills {n} with capture n; an ldapQuery must return exactly one entry, whose DN is used, else the next rule is
///   tried; no rule: "Failed to map user" (ldap_manager_impl.cpp, mapUserToDN);
/// - authz.queryTemplate gets {USER} (the mapped DN) and {PROVIDED_USER}, escaped for the URL and, in the filter
///   part, for the filter; with no attribute (or only "dn") the entries' DNs are the groups, else every value of the
///   returned attributes is (queryUserRoles, execQuery); each group is the role of that name in admin;
/// - every search runs on a connection bound as bind.queryUser first (ConnectionPoller::borrow_or_create);
/// - servers are tried in the order listed (libldap's URI list), and only as ldaps://.
/// </summary>
internal sealed class LdapDirectory(Func<LdapSettings?> settings, LdapAddressResolver? resolver = null)
{
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(100);

    public LdapSettings? Settings => settings();

    /// <summary>
    /// The PLAIN login: a bind as the mapped DN, always (the password is checked on every login); the groups only when
    /// <paramref name="withGroups"/> (the user is not in mongod's user cache: LdapUserCache), else none are read.
    /// </summary>
    public async Task<LdapLogin> AuthenticateAsync(string user, string password, bool withGroups, CancellationToken ct)
    {
        var s = Current();
        if (password.Length == 0)
        {
            throw new LdapException($"Failed to authenticate '{user}'; No password provided.");
        }

        var dn = await MapUserToDnAsync(s, user, ct);
        await using (var connection = await OpenAsync(s, ct))
        {
            try
            {
                await connection.BindAsync(dn, password, ct);
            }
            catch (LdapException e)
            {
                throw new LdapException($"Failed to authenticate '{dn}' using simple bind; {e.Message}", e.ResultCode);
            }
        }

        var groups = !withGroups || s.AuthzQueryTemplate is null ? [] : await QueryGroupsAsync(s, user, dn, ct);
        return new LdapLogin(user, groups);
    }

    /// <summary>
    /// The groups of a user already authenticated, read again after the user cache was flushed (acquireUser ->
    /// LDAPManager::queryUserRoles: map the name to a DN, run the authz query; no bind as the user, no password).
    /// </summary>
    public async Task<IReadOnlyList<string>> AcquireGroupsAsync(string user, CancellationToken ct)
    {
        var s = Current();
        if (s.AuthzQueryTemplate is null)
        {
            return [];
        }
        var dn = await MapUserToDnAsync(s, user, ct);
        return await QueryGroupsAsync(s, user, dn, ct);
    }

    /// <summary>validateLDAPServerConfig: at start-up, a bind as the query user must succeed (ldap_manager_impl.cpp).</summary>
    public async Task ValidateServerConfigAsync(CancellationToken ct)
    {
        var s = Current();
        if (!s.ValidateServerConfig)
        {
            return;
        }
        await using var connection = await OpenBoundAsync(s, ct);
    }

    private LdapSettings Current() => settings() ?? throw new LdapException("LDAP is not configured (security.ldap.servers)");

    private async Task<string> MapUserToDnAsync(LdapSettings s, string user, CancellationToken ct)
    {
        foreach (var rule in Rules(s.UserToDnMapping))
        {
            var match = Regex.Match(user, $"^(?:{rule["match"].AsString})$", RegexOptions.None, RegexBudget);
            if (!match.Success)
            {
                continue;
            }
            if (rule.TryGetValue("substitution", out var substitution))
            {
                // Not escaped: the result is used as {USER} and escaped there (mapUserToDN).
                return Substitute(substitution.AsString, match, e => e);
            }

            var query = EscapeParts(rule["ldapQuery"].AsString, (part, index) =>
                Substitute(part, match, index == 3 ? EscapeCombined : EscapeForUrl));
            var found = await ExecQueryAsync(s, query, entitiesOnly: true, ct);
            if (found.Count == 1)
            {
                return found[0];
            }
        }
        throw new LdapException($"Failed to map user '{user}' to LDAP DN");
    }

    private async Task<IReadOnlyList<string>> QueryGroupsAsync(LdapSettings s, string provided, string mapped, CancellationToken ct)
    {
        var query = EscapeParts(s.AuthzQueryTemplate!, (part, index) => index == 3
            ? Format(part, EscapeCombined(mapped), EscapeCombined(provided))
            : Format(part, EscapeForUrl(mapped), EscapeForUrl(provided)));
        return await ExecQueryAsync(s, query, entitiesOnly: false, ct);
    }

    private async Task<IReadOnlyList<string>> ExecQueryAsync(LdapSettings s, string query, bool entitiesOnly, CancellationToken ct)
    {
        var url = LdapUrl.Parse(query);
        // A lone "dn"/"DN" attribute asks for the entries' DNs (execQuery's special case).
        if (url.Attributes is [var only] && only.Equals("dn", StringComparison.OrdinalIgnoreCase))
        {
            url = url with { Attributes = [] };
        }
        entitiesOnly |= url.Attributes.Count == 0;
        await using var connection = await OpenBoundAsync(s, ct);
        var entries = await connection.SearchAsync(url, ct);
        return entitiesOnly
            ? [.. entries.Select(e => e.Dn)]
            : [.. entries.SelectMany(e => e.Attributes).SelectMany(a => a.Values)];
    }

    private async Task<LdapConnection> OpenBoundAsync(LdapSettings s, CancellationToken ct)
    {
        var connection = await OpenAsync(s, ct);
        try
        {
            await connection.BindAsync(s.QueryUser, s.QueryPassword, ct);
            return connection;
        }
        catch (LdapException e)
        {
            await connection.DisposeAsync();
            throw new LdapException($"Failed to authenticate '{s.QueryUser}' using simple bind; {e.Message}", e.ResultCode);
        }
    }

    // libldap tries the URIs of ldapURIList in order; the scheme is ldaps unless transportSecurity is none.
    private async Task<LdapConnection> OpenAsync(LdapSettings s, CancellationToken ct)
    {
        if (!s.TransportSecurity.Equals("tls", StringComparison.OrdinalIgnoreCase))
        {
            throw new LdapException($"security.ldap.transportSecurity {s.TransportSecurity}: the simulator speaks LDAP only over TLS (ldaps://)");
        }
        if (!s.BindMethod.Equals("simple", StringComparison.OrdinalIgnoreCase))
        {
            throw new LdapException($"security.ldap.bind.method {s.BindMethod} is not simulated: only simple is");
        }

        var trust = s.Client.Trust();
        var reasons = new List<string>();
        foreach (var (host, port) in s.Servers)
        {
            try
            {
                // A simulated cluster's DNS: a name it does not know does not resolve, as a missing Service would not.
                var at = resolver is null ? null : resolver(host, port)
                    ?? throw new LdapException($"Can't contact LDAP server ldaps://{host}:{port}/ (the name {host} does not resolve)");
                return await LdapConnection.OpenAsync(host, port, trust, s.Timeout, ct, at);
            }
            catch (LdapException e)
            {
                reasons.Add(e.Message);
            }
        }
        throw new LdapException(string.Join("; ", reasons));
    }

    private static IEnumerable<BsonDocument> Rules(string mapping)
    {
        // mongod parses the option with fromjson, which takes relaxed JSON (unquoted keys), as BsonDocument.Parse does.
        var array = BsonDocument.Parse("{m: " + mapping + "}")["m"].AsBsonArray;
        return array.Select(r => r.AsBsonDocument);
    }

    private static string Substitute(string template, Match match, Func<string, string> escape) =>
        Regex.Replace(template, @"\{(\d+)\}", m => escape(match.Groups[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) + 1].Value),
            RegexOptions.None, RegexBudget);

    // The template is split on '?' and each part substituted on its own (the filter is part 3).
    private static string EscapeParts(string template, Func<string, int, string> part) =>
        string.Join('?', template.Split('?').Select((p, i) => part(p, i)));

    // fmt::format with named arguments: {USER}, {PROVIDED_USER}; {{ and }} are literal braces.
    private static string Format(string part, string user, string provided) =>
        part.Replace("{{", "\u0001", StringComparison.Ordinal).Replace("}}", "\u0002", StringComparison.Ordinal)
            .Replace("{USER}", user, StringComparison.Ordinal).Replace("{PROVIDED_USER}", provided, StringComparison.Ordinal)
            .Replace("\u0001", "{", StringComparison.Ordinal).Replace("\u0002", "}", StringComparison.Ordinal);

    private static string EscapeCombined(string value) => EscapeForUrl(EscapeForFilter(value));

    private static string EscapeForFilter(string value)
    {
        var b = new StringBuilder(value.Length * 2);
        foreach (var c in value)
        {
            b.Append(c switch { '\\' => "\\5c", '*' => "\\2a", '(' => "\\28", ')' => "\\29", '\0' => "\\00", _ => c.ToString() });
        }
        return b.ToString();
    }

    private static string EscapeForUrl(string value)
    {
        var b = new StringBuilder(value.Length * 2);
        foreach (var c in value)
        {
            b.Append(c switch
            {
                ' ' => "%20",
                '#' => "%23",
                '%' => "%25",
                '+' => "%2b",
                ',' => "%2c",
                ';' => "%3b",
                '<' => "%3c",
                '>' => "%3e",
                '?' => "%3f",
                '@' => "%40",
                '\\' => "%5c",
                '=' => "%3d",
                '/' => "%2f",
                _ => c.ToString(),
            });
        }
        return b.ToString();
    }
}
