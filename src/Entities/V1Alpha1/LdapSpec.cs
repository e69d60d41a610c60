using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

[Description("LDAP authentication (mechanism PLAIN, only ever over TLS) and LDAP group-to-role authorization.")]
[CelRule("self.servers.all(s, s.startsWith('ldaps://'))", Validation.LdapRules.TransportMessage, FieldPath = ".servers")]
[CelRule("!has(self.groupRoleMappings) || size(self.groupRoleMappings) == 0 || has(self.authzQueryTemplate)",
    "groupRoleMappings require authzQueryTemplate", FieldPath = ".authzQueryTemplate")]
public sealed class LdapSpec
{
    [JsonPropertyName("servers")]
    [Required]
    [Description("LDAP server URLs, replicas of one directory: ldaps://host[:port].")]
    [MinItems(1)]
    [MaxItems(8)]
    [MaxLength(270)]
    [Pattern(ValidationPatterns.LdapUrl)]
    [ListType("set")]
    public List<string> Servers { get; set; } = [];

    [JsonPropertyName("transportSecurity")]
    [Description("LDAPS: TLS from the first byte (the only transport mongod offers over TLS). There is no plain option.")]
    [Default("LDAPS")]
    public LdapTransportSecurity TransportSecurity { get; set; } = LdapTransportSecurity.LDAPS;

    [JsonPropertyName("bindDn")]
    [Required]
    [Description("The DN of a read-only query user that mongod binds as (security.ldap.bind.queryUser).")]
    [MinLength(1)]
    [MaxLength(1024)]
    public string BindDn { get; set; } = "";

    [JsonPropertyName("bindPasswordSecretRef")]
    [Required]
    [Description("The Secret key holding the bind password; it is passed to mongod through a file, never in the config or logs.")]
    public SecretKeyReference BindPasswordSecretRef { get; set; } = new();

    [JsonPropertyName("caSecretRef")]
    [Required]
    [Description("The Secret key holding the CA certificate (PEM) that signed the LDAP server certificates.")]
    public SecretKeyReference CaSecretRef { get; set; } = new();

    [JsonPropertyName("userToDnMapping")]
    [Description("Rules that map a user name to an LDAP DN (security.ldap.userToDNMapping), tried in order; when empty the user name is the DN.")]
    [MaxItems(16)]
    public List<LdapUserToDnRule>? UserToDnMapping { get; set; }

    [JsonPropertyName("authzQueryTemplate")]
    [Description("RFC 4516 relative LDAP URL that returns the user's groups, e.g. {USER}?memberOf?base (security.ldap.authz.queryTemplate). Required for groupRoleMappings.")]
    [MinLength(1)]
    [MaxLength(1024)]
    public string? AuthzQueryTemplate { get; set; }

    [JsonPropertyName("groupRoleMappings")]
    [Description("Each LDAP group DN becomes an admin-database role of the same name that grants these roles.")]
    [MaxItems(64)]
    [ListType("map", "group")]
    public List<LdapGroupRoleMapping>? GroupRoleMappings { get; set; }
}

[Description("One userToDNMapping rule: a regular expression with either a substitution or an LDAP query.")]
[CelRule("has(self.substitution) != has(self.ldapQuery)", "a userToDnMapping rule needs exactly one of substitution or ldapQuery")]
public sealed class LdapUserToDnRule
{
    [JsonPropertyName("match")]
    [Required]
    [Description("A regular expression matched against the user name; capture groups are {0}, {1}, ...")]
    [MinLength(1)]
    [MaxLength(512)]
    public string Match { get; set; } = "";

    [JsonPropertyName("substitution")]
    [Description("The DN built from the capture groups, e.g. cn={0},ou=people,dc=example,dc=org.")]
    [MinLength(1)]
    [MaxLength(1024)]
    public string? Substitution { get; set; }

    [JsonPropertyName("ldapQuery")]
    [Description("An RFC 4516 LDAP query built from the capture groups that returns the DN.")]
    [MinLength(1)]
    [MaxLength(1024)]
    public string? LdapQuery { get; set; }
}

[Description("The MongoDB roles granted to members of one LDAP group.")]
public sealed class LdapGroupRoleMapping
{
    [JsonPropertyName("group")]
    [Required]
    [Description("The group DN exactly as the authz query returns it, e.g. cn=phi-readers,ou=groups,dc=example,dc=org.")]
    [MinLength(1)]
    [MaxLength(1024)]
    public string Group { get; set; } = "";

    [JsonPropertyName("roles")]
    [Required]
    [Description("Roles granted to the group's members.")]
    [MinItems(1)]
    [MaxItems(32)]
    public List<DatabaseRole> Roles { get; set; } = [];
}

[Description("A MongoDB role in a database.")]
public sealed class DatabaseRole
{
    [JsonPropertyName("role")]
    [Required]
    [Description("The role name, e.g. read or readWrite. Internal roles (__system, __queryableBackup) are refused.")]
    [MinLength(1)]
    [MaxLength(128)]
    [Pattern(ValidationPatterns.RoleName)]
    public string Role { get; set; } = "";

    [JsonPropertyName("db")]
    [Required]
    [Description("The database the role is defined in, e.g. patients or admin.")]
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(ValidationPatterns.DatabaseName)]
    public string Db { get; set; } = "";
}
