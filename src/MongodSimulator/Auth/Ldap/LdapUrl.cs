namespace HipaaMongo.MongodSimulator.Auth.Ldap;

/// <summary>How far below the base a search looks (RFC 4511 §4.5.1.2).</summary>
internal enum LdapScope
{
    BaseObject = 0,
    SingleLevel = 1,
    WholeSubtree = 2,
}

/// <summary>
/// The query part of an RFC 4516 LDAP URL, dn?attributes?scope?filter, as libldap's ldap_url_parse reads it (PSMDB's
/// execQuery hands mongod's queries to it): each part percent-decoded, scope base when absent, filter
/// (objectClass=*) when absent.
/// </summary>
internal sealed record LdapUrl(string BaseDn, IReadOnlyList<string> Attributes, LdapScope Scope, string Filter)
{
    public static LdapUrl Parse(string query)
    {
        var parts = query.Split('?');
        if (parts.Length > 5)
        {
            throw new FormatException("Cannot parse LDAP URL: too many '?' parts");
        }

        string Part(int i) => i < parts.Length ? Uri.UnescapeDataString(parts[i]) : "";
        var attributes = Part(1).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var scope = Part(2).ToLowerInvariant() switch
        {
            "" or "base" => LdapScope.BaseObject,
            "one" => LdapScope.SingleLevel,
            "sub" => LdapScope.WholeSubtree,
            var other => throw new FormatException($"Cannot parse LDAP URL: bad scope '{other}'"),
        };
        var filter = Part(3);
        return new LdapUrl(Part(0), attributes, scope, filter.Length == 0 ? "(objectClass=*)" : filter);
    }
}
