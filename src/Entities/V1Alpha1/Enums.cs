using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

/// <summary>The MongoDB server distribution. Community is absent on purpose: see <see cref="EditionPolicy"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MongoEdition>))]
[Description("The MongoDB server distribution: Enterprise (MongoDB Enterprise Server) or Percona (Percona Server for MongoDB).")]
public enum MongoEdition
{
    Enterprise,
    Percona,
}

[JsonConverter(typeof(JsonStringEnumConverter<IssuerKind>))]
public enum IssuerKind
{
    Issuer,
    ClusterIssuer,
}

[JsonConverter(typeof(JsonStringEnumConverter<AuditProfile>))]
public enum AuditProfile
{
    /// <summary>Tier 1: authentication, denials, user/role/schema changes (secure-baseline 4.4).</summary>
    Baseline,

    /// <summary>Tier 2: tier 1 plus every successful read/write on the PHI namespaces.</summary>
    PHIAccess,
}

[JsonConverter(typeof(JsonStringEnumConverter<LdapTransportSecurity>))]
public enum LdapTransportSecurity
{
    /// <summary>TLS from the first byte (ldaps://, usually port 636).</summary>
    LDAPS,

    /// <summary>
    /// Withdrawn: neither edition renders it (LdapRules). Kept so an object stored before decodes and is refused with
    /// the reason instead of failing to decode.
    /// </summary>
    [Schema.Withdrawn]
    StartTLS,
}

[JsonConverter(typeof(JsonStringEnumConverter<DeletionPolicy>))]
public enum DeletionPolicy
{
    Retain,
    Delete,
}

[JsonConverter(typeof(JsonStringEnumConverter<LabelSelectorOperator>))]
public enum LabelSelectorOperator
{
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

[JsonConverter(typeof(JsonStringEnumConverter<ComplianceState>))]
public enum ComplianceState
{
    Unknown,
    True,
    False,
}

[JsonConverter(typeof(JsonStringEnumConverter<MemberRole>))]
public enum MemberRole
{
    Unknown,
    Primary,
    Secondary,
    Startup,
    Recovering,
    Arbiter,
    Down,
}

[JsonConverter(typeof(JsonStringEnumConverter<MemberHealth>))]
public enum MemberHealth
{
    Unknown,
    Healthy,
    Unhealthy,
}
