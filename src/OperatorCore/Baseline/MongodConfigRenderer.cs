using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline.Yaml;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// Renders mongod.conf (secure-baseline.md 8.1) for one edition: the locked options from
/// <see cref="LockedOptions"/> plus the values that follow from the spec (KMIP servers, audit
/// tier, LDAP, replica-set name). Section order follows 8.1 so the file reads like the reference.
/// </summary>
public static class MongodConfigRenderer
{
    private static readonly string[] SectionOrder =
        ["storage", "net", "security", "auditLog", "operationProfiling", "replication", "setParameter"];

    public static string Render(BaselineModel model) => ConfTreeWriter.Write(Build(model));

    /// <summary>The config as a tree, for callers (tests, the verifier) that want values, not text.</summary>
    public static ConfTree Build(BaselineModel model)
    {
        var conf = new ConfTree();
        foreach (var section in SectionOrder)
        {
            conf.Set(section, new ConfTree());
        }

        foreach (var option in LockedOptions.For(model.Edition).Where(o => o.Kind == LockKind.Required))
        {
            conf.Set(option.Path, option.Value);
        }

        AddKmip(conf, model.Kmip);
        AddLdap(conf, model);
        AddAudit(conf, model.Audit);
        conf.Set("replication.replSetName", model.Name);
        conf.Set("setParameter.authenticationMechanisms", string.Join(',', AuthenticationMechanisms(model)));
        return conf;
    }

    /// <summary>
    /// SCRAM-SHA-256 for users, MONGODB-X509 for the operator's and verifier's client certificates,
    /// PLAIN only with LDAP (always over requireTLS) (secure-baseline.md 5.1, 6).
    /// </summary>
    public static IReadOnlyList<string> AuthenticationMechanisms(BaselineModel model) =>
        model.Ldap is null ? ["SCRAM-SHA-256", "MONGODB-X509"] : ["SCRAM-SHA-256", "MONGODB-X509", "PLAIN"];

    /// <summary>The auditLog.filter string for the model's tier (secure-baseline.md 4.4).</summary>
    public static string AuditFilter(AuditModel audit) => audit.Tier == AuditTier.PhiAccess
        ? AuditFilters.PhiAccess(audit.PhiNamespaces)
        : AuditFilters.Baseline();

    private static void AddKmip(ConfTree conf, KmipModel kmip)
    {
        // One port for every server: mongod has a single security.kmip.port, an Int in both editions' option
        // declarations (Enterprise kmip_options.idl, PSMDB mongod_options_encryption.idl; docs/baseline.md), so it
        // is rendered as a number and compared as one with getCmdLineOpts.parsed.
        var kmipTree = (ConfTree)conf.Get("security.kmip")!;
        var locked = kmipTree.Entries.ToList();
        var rebuilt = new ConfTree()
            .Set("serverName", string.Join(',', kmip.Servers.Select(s => s.Host)))
            .Set("port", kmip.Servers[0].Port);
        foreach (var (key, value) in locked)
        {
            rebuilt.Set(key, value);
        }

        if (kmip.KeyIdentifier is { Length: > 0 } keyId)
        {
            rebuilt.Set("keyIdentifier", keyId);
        }

        rebuilt.Set("keyStatePollingSeconds", kmip.KeyStatePollingSeconds);
        conf.Set("security.kmip", rebuilt);
    }

    private static void AddLdap(ConfTree conf, BaselineModel model)
    {
        if (model.Ldap is not { } ldap)
        {
            return;
        }

        conf.Set("security.ldap.servers", string.Join(',', ldap.Servers.Select(s => $"{s.Host}:{s.Port}")));
        foreach (var option in LockedOptions.Ldap)
        {
            conf.Set(option.Path, option.Value);
        }

        conf.Set("security.ldap.bind.queryUser", ldap.BindDn);
        // The password never enters the ConfigMap: mongod reads it from the mounted Secret through
        // __exec expansion (--configExpand exec, secure-baseline.md 6).
        conf.Set("security.ldap.bind.queryPassword", new ConfTree()
            .Set("__exec", $"cat {MountPaths.LdapBindDir}/password")
            .Set("type", "string")
            .Set("trim", "whitespace"));
        if (ldap.UserToDnMapping is { Length: > 0 } mapping)
        {
            conf.Set("security.ldap.userToDNMapping", mapping);
        }

        if (ldap.AuthzQueryTemplate is { Length: > 0 } template)
        {
            conf.Set("security.ldap.authz.queryTemplate", template);
        }

        // retryCount exists in Enterprise 6.1+ only; Percona's option IDL lacks it (5.1).
        if (model.Edition == MongoEdition.Enterprise)
        {
            conf.Set("security.ldap.retryCount", 2);
        }
    }

    private static void AddAudit(ConfTree conf, AuditModel audit)
    {
        conf.Set("auditLog.path", MountPaths.AuditLog(audit.Path));
        conf.Set("auditLog.filter", AuditFilter(audit));
        conf.Set("setParameter.auditAuthorizationSuccess", audit.Tier == AuditTier.PhiAccess);
    }

    /// <summary>The OpenLDAP client config that makes mongod verify the LDAP server against our CA (5.1).</summary>
    public static string RenderLdapConf() =>
        $"TLS_CACERT {MountPaths.LdapCaDir}/ca.crt\nTLS_REQCERT demand\n";
}
