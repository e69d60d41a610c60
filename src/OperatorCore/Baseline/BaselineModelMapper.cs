using System.Globalization;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// Maps a (valid) HipaaMongo to the <see cref="BaselineModel"/>: fills defaults, parses host:port
/// and LDAP URLs, picks the image. The only place that knows both the API and the renderers.
/// </summary>
public static class BaselineModelMapper
{
    public static BaselineModel Map(HipaaMongoResource resource)
    {
        var spec = resource.Spec;
        return new BaselineModel
        {
            Name = resource.Metadata.Name ?? "",
            Namespace = resource.Metadata.NamespaceProperty ?? "default",
            Uid = resource.Metadata.Uid,
            Edition = spec.Edition,
            Version = spec.Version,
            Image = string.IsNullOrEmpty(spec.Image) ? DefaultImage(spec.Edition, spec.Version) : spec.Image,
            Members = spec.Members,
            Storage = new StorageModel(spec.Storage.Size, spec.Storage.StorageClassName),
            Resources = MapResources(spec.Resources),
            Tls = new TlsModel { IssuerRef = MapIssuer(spec.Tls?.IssuerRef), Duration = spec.Tls?.Duration ?? TlsSpec.DefaultDuration, RenewBefore = spec.Tls?.RenewBefore ?? TlsSpec.DefaultRenewBefore },
            Kmip = MapKmip(spec.Encryption.Kmip),
            Audit = MapAudit(spec.Audit),
            Ldap = spec.Ldap is null ? null : MapLdap(spec.Ldap),
            Network = new NetworkModel { AllowedClients = (spec.Network?.AllowedClients ?? []).Select(MapClient).ToList() },
        };
    }

    /// <summary>
    /// The vendor images (secure-baseline.md 1, <see cref="VendorImages"/>). The validator refuses a Percona
    /// version without a known build unless spec.image names one, so the fallback below is never rendered
    /// for a valid spec.
    /// </summary>
    public static string DefaultImage(MongoEdition edition, string version) =>
        VendorImages.Default(edition, version)
        ?? $"{VendorImages.PerconaRepository}:{version}";

    /// <summary>"host:port" or "[v6]:port" through the API's one parser; a host alone gets <paramref name="defaultPort"/>.</summary>
    private static HostPort ParseHostPort(string value, int defaultPort) =>
        Entities.Validation.HostPorts.TryParse(value, out var host, out var port, defaultPort)
            ? new HostPort(host, port)
            : new HostPort(value, defaultPort);

    private static ResourcesModel? MapResources(ComputeResources? r) => r is null
        ? null
        : new ResourcesModel(Amounts(r.Requests), Amounts(r.Limits));

    private static Dictionary<string, string> Amounts(ResourceAmounts? a)
    {
        var d = new Dictionary<string, string>();
        if (a?.Cpu is { } cpu)
        {
            d["cpu"] = cpu;
        }

        if (a?.Memory is { } memory)
        {
            d["memory"] = memory;
        }

        return d;
    }

    private static IssuerRefModel? MapIssuer(IssuerReference? r) =>
        r is null ? null : new IssuerRefModel(r.Name, r.Kind.ToString(), r.Group);

    private static KmipModel MapKmip(KmipSpec k) => new()
    {
        Servers = k.Servers.Select(s => ParseHostPort(s, 5696)).ToList(),
        ServerCaSecret = k.ServerCaSecretRef.Name,
        ServerCaKey = k.ServerCaSecretRef.Key,
        ClientIssuerRef = MapIssuer(k.ClientCertificate.IssuerRef),
        ClientSecret = k.ClientCertificate.SecretName,
        KeyIdentifier = k.KeyIdentifier,
        KeyStatePollingSeconds = k.KeyStatePollingSeconds,
        RotationRequestedAt = k.MasterKeyRotation?.RequestedAt is { Length: > 0 } token ? token : null,
    };

    private static AuditModel MapAudit(AuditSpec? a) => new()
    {
        Tier = a?.Profile == AuditProfile.PHIAccess ? AuditTier.PhiAccess : AuditTier.Baseline,
        PhiNamespaces = a?.PhiNamespaces ?? [],
        Path = string.IsNullOrEmpty(a?.Path) ? AuditSpec.DefaultPath : a.Path,
    };

    private static LdapModel MapLdap(LdapSpec l) => new()
    {
        Servers = l.Servers.Select(ParseLdapUrl).ToList(),
        BindDn = l.BindDn,
        BindPasswordSecret = l.BindPasswordSecretRef.Name,
        BindPasswordKey = l.BindPasswordSecretRef.Key,
        CaSecret = l.CaSecretRef.Name,
        CaKey = l.CaSecretRef.Key,
        UserToDnMapping = l.UserToDnMapping is { Count: > 0 } rules ? UserToDnJson(rules) : null,
        AuthzQueryTemplate = l.AuthzQueryTemplate,
        GroupRoles = [.. (l.GroupRoleMappings ?? []).Select(g => new LdapGroupRoleModel(g.Group,
            [.. g.Roles.Select(r => new RoleRef(r.Role, r.Db)).Distinct()]))],
    };

    /// <summary>
    /// ldaps://host[:port], default port 636 as mongod's own (Enterprise LDAPHost::parse). Validation admits only
    /// ldaps:// servers; were an ldap:// one to get here, mongod would still open ldaps:// to it and fail closed.
    /// </summary>
    private static HostPort ParseLdapUrl(string url)
    {
        var rest = url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        return ParseHostPort(rest, 636);
    }

    private static readonly System.Text.Json.JsonSerializerOptions RelaxedJson = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>security.ldap.userToDNMapping is a JSON array in a string (secure-baseline.md 5.1).</summary>
    private static string UserToDnJson(List<LdapUserToDnRule> rules)
    {
        var array = new JsonArray();
        foreach (var rule in rules)
        {
            var o = new JsonObject { ["match"] = rule.Match };
            if (rule.Substitution is { } s)
            {
                o["substitution"] = s;
            }

            if (rule.LdapQuery is { } q)
            {
                o["ldapQuery"] = q;
            }

            array.Add(o);
        }

        // Relaxed escaping keeps regex characters such as '+' readable instead of \u002B.
        return array.ToJsonString(RelaxedJson);
    }

    private static ClientPeerModel MapClient(AllowedClient c) => new(Selector(c.NamespaceSelector), Selector(c.PodSelector));

    private static V1LabelSelector? Selector(LabelSelector? s) => s is null
        ? null
        : new V1LabelSelector
        {
            MatchLabels = s.MatchLabels is { Count: > 0 } ml ? new Dictionary<string, string>(ml) : null,
            MatchExpressions = s.MatchExpressions?.Select(e => new V1LabelSelectorRequirement
            {
                Key = e.Key,
                OperatorProperty = e.Operator.ToString(),
                Values = e.Values,
            }).ToList(),
        };
}
