using System.Text.RegularExpressions;

namespace HipaaMongo.Entities.Validation;

internal static class LdapRules
{
    private const string Path = "spec.ldap";

    public const string TransportMessage = "ldap servers must all be ldaps://: LDAP is spoken over TLS only (LDAPS); plain LDAP is refused";

    // Neither edition can speak StartTLS: security.ldap.transportSecurity takes only none or tls, and tls opens
    // ldaps:// (PSMDB ldap_options.cpp ldapURIList; Enterprise ldap_connection_options.cpp constructHostURIs).
    // docs/baseline.md cites both.
    public const string StartTlsMessage =
        "transportSecurity StartTLS cannot be rendered: mongod (Enterprise and Percona) speaks LDAP over TLS only as LDAPS " +
        "(security.ldap.transportSecurity tls opens ldaps://); use transportSecurity LDAPS with ldaps:// servers";

    public static void Check(LdapSpec? ldap, List<CustomRoleSpec>? roles, ErrorList errors)
    {
        if (ldap is null) return;
        errors.Check(Enum.IsDefined(ldap.TransportSecurity), Path + ".transportSecurity", "transportSecurity must be LDAPS");
        errors.Check(ldap.TransportSecurity != LdapTransportSecurity.StartTLS, Path + ".transportSecurity", StartTlsMessage);
        CheckServers(ldap, errors);
        errors.Check(!string.IsNullOrWhiteSpace(ldap.BindDn) && ldap.BindDn.Contains('=', StringComparison.Ordinal)
                     && ldap.BindDn.Length <= 1024,
            Path + ".bindDn", "bindDn must be a DN such as cn=mongodb,ou=services,dc=example,dc=org");
        SecretRefRules.Check(ldap.BindPasswordSecretRef, Path + ".bindPasswordSecretRef", errors);
        SecretRefRules.Check(ldap.CaSecretRef, Path + ".caSecretRef", errors);
        CheckMappings(ldap.UserToDnMapping ?? [], errors);
        CheckGroups(ldap, roles ?? [], errors);
    }

    private static void CheckServers(LdapSpec ldap, ErrorList errors)
    {
        if (!errors.Check(ldap.Servers is { Count: > 0 }, Path + ".servers", "at least one LDAP server is required")) return;
        errors.Check(ldap.Servers!.Count <= 8, Path + ".servers", "at most 8 LDAP servers are allowed");
        for (var i = 0; i < ldap.Servers.Count; i++)
        {
            var path = $"{Path}.servers[{i}]";
            var scheme = Names.LdapScheme(ldap.Servers[i]);
            if (!errors.Check(scheme is not null, path,
                    "LDAP server must be a URL ldaps://host[:port] or ldap://host[:port] with a port from 1 to 65535"))
                continue;
            errors.Check(scheme == "ldaps", path, TransportMessage);
        }
    }

    private static void CheckMappings(List<LdapUserToDnRule> rules, ErrorList errors)
    {
        for (var i = 0; i < rules.Count; i++)
        {
            var path = $"{Path}.userToDnMapping[{i}]";
            var rule = rules[i];
            errors.Check((rule.Substitution is null) != (rule.LdapQuery is null), path,
                "a userToDnMapping rule needs exactly one of substitution or ldapQuery");
            errors.Check(IsRegex(rule.Match), path + ".match", "match must be a valid regular expression");
        }
    }

    private static bool IsRegex(string? pattern)
    {
        if (string.IsNullOrEmpty(pattern) || pattern.Length > 512) return false;
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void CheckGroups(LdapSpec ldap, List<CustomRoleSpec> customRoles, ErrorList errors)
    {
        var groups = ldap.GroupRoleMappings ?? [];
        if (groups.Count > 0)
            errors.Check(!string.IsNullOrWhiteSpace(ldap.AuthzQueryTemplate), Path + ".authzQueryTemplate",
                "groupRoleMappings require authzQueryTemplate");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < groups.Count; i++)
        {
            var path = $"{Path}.groupRoleMappings[{i}]";
            var group = groups[i];
            if (errors.Check(!string.IsNullOrWhiteSpace(group.Group) && group.Group.Contains('=', StringComparison.Ordinal),
                    path + ".group", "group must be a DN such as cn=phi-readers,ou=groups,dc=example,dc=org"))
                errors.Check(seen.Add(group.Group), path + ".group", "duplicate group");
            CheckRoles(group.Group, group.Roles ?? [], path, customRoles, errors);
        }
    }

    private static void CheckRoles(string group, List<DatabaseRole> roles, string path, List<CustomRoleSpec> customRoles, ErrorList errors)
    {
        errors.Check(roles.Count > 0, path + ".roles", "at least one role is required");
        for (var j = 0; j < roles.Count; j++)
        {
            var rolePath = $"{path}.roles[{j}]";
            var role = roles[j];
            if (errors.Check(!string.IsNullOrEmpty(role.Role) && role.Role.Length <= 128
                             && role.Role.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'),
                    rolePath + ".role", "role must be a role name of letters, digits, '_', '.' and '-'"))
                if (errors.Check(!role.Role.StartsWith("__", StringComparison.Ordinal), rolePath + ".role",
                    $"internal role {role.Role} cannot be granted"))
                    errors.Check(!LdapGroupAccess.IsRefused(role, customRoles), rolePath + ".role", LdapGroupAccess.RefusedRoleMessage(group, role.Role, role.Db));
            errors.Check(!string.IsNullOrEmpty(role.Db) && role.Db.Length <= 63
                         && role.Db.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'),
                rolePath + ".db", "db must be a database name of letters, digits, '_' and '-'");
        }
    }
}
