using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

/// <summary>A custom MongoDB role the operator creates and keeps as declared (createRole / updateRole).</summary>
[Description("A custom MongoDB role, created and kept as declared by the operator: privileges added out of band are revoked. anyAction is refused; privileges on the cluster resource need administrative: true.")]
[CelRule("self.administrative || !has(self.privileges) || self.privileges.all(p, !has(p.resource.cluster) || !p.resource.cluster)",
    "privileges on the cluster resource need a role declared administrative: true", FieldPath = ".privileges")]
public sealed class CustomRoleSpec
{
    [JsonPropertyName("name")]
    [Required]
    [Description("The role name, e.g. patientsReader. It must not be a built-in role name or start with '__'.")]
    [MinLength(1)]
    [MaxLength(128)]
    [Pattern(ValidationPatterns.RoleName)]
    public string Name { get; set; } = "";

    [JsonPropertyName("db")]
    [Required]
    [Description("The database the role is defined in (usually admin or the database it grants on).")]
    [MinLength(1)]
    [MaxLength(63)]
    [Pattern(ValidationPatterns.DatabaseName)]
    public string Db { get; set; } = "";

    [JsonPropertyName("administrative")]
    [Description("Declares the role administrative, which is what allows privileges on the cluster resource. Default false.")]
    [Default(false)]
    public bool Administrative { get; set; }

    [JsonPropertyName("privileges")]
    [Description("What the role allows: actions on a resource ({db, collection}, or cluster: true for an administrative role).")]
    [MaxItems(64)]
    public List<RolePrivilege>? Privileges { get; set; }

    [JsonPropertyName("roles")]
    [Description("Roles this role inherits, built-in or custom.")]
    [MaxItems(32)]
    public List<DatabaseRole>? Roles { get; set; }
}

[Description("Actions allowed on one resource.")]
public sealed class RolePrivilege
{
    [JsonPropertyName("resource")]
    [Required]
    [Description("The resource: {db, collection} (db '' means every database, collection '' every collection), or {cluster: true}.")]
    public PrivilegeResource Resource { get; set; } = new();

    [JsonPropertyName("actions")]
    [Required]
    [Description("Privilege actions from mongod's action list (src/mongo/db/auth/action_type.idl), e.g. find, insert, update. anyAction is refused.")]
    [MinItems(1)]
    [MaxItems(64)]
    [MaxLength(64)]
    [ListType("set")]
    [CelRule("self.all(a, a != 'anyAction' && a != 'internal')", "anyAction and internal are refused: name the actions the role needs")]
    public List<string> Actions { get; set; } = [];
}

[Description("A privilege resource: a database and collection, or the cluster.")]
[CelRule("has(self.cluster) && self.cluster ? !has(self.db) && !has(self.collection) : has(self.db)",
    "a resource is either {db, collection} or {cluster: true}")]
public sealed class PrivilegeResource
{
    [JsonPropertyName("db")]
    [Description("The database; '' means every database except local and config.")]
    [MaxLength(63)]
    public string? Db { get; set; }

    [JsonPropertyName("collection")]
    [Description("The collection; '' or absent means every non-system collection of the database.")]
    [MaxLength(255)]
    public string? Collection { get; set; }

    [JsonPropertyName("cluster")]
    [Description("true: the cluster resource (replica-set and server administration); only in an administrative role.")]
    public bool? Cluster { get; set; }
}
