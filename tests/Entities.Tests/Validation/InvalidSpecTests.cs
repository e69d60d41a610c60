using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Entities.Tests.Validation;

public class InvalidSpecTests
{
    // name -> (how to break a valid spec, expected field path, expected message)
    internal static readonly Dictionary<string, (Action<HipaaMongoSpec> Break, string Path, string Message)> Cases = new()
    {
        ["version 6.0"] = (s => s.Version = "6.0.5", "spec.version", "version must be 7.0.x or 8.0.x (e.g. 8.0.4)"),
        ["version without patch"] = (s => s.Version = "8.0", "spec.version", "version must be 7.0.x or 8.0.x (e.g. 8.0.4)"),
        ["image with space"] = (s => s.Image = "mongo :8", "spec.image", "image must be an image reference without whitespace, at most 512 characters"),
        ["members 1"] = (s => s.Members = 1, "spec.members", "members must be 3, 5 or 7"),
        ["members 4"] = (s => s.Members = 4, "spec.members", "members must be 3, 5 or 7"),
        ["size not a quantity"] = (s => s.Storage.Size = "fifty", "spec.storage.size", "storage.size must be a Kubernetes quantity such as 50Gi or 500m"),
        ["size too small"] = (s => s.Storage.Size = "512Mi", "spec.storage.size", "storage.size must be at least 1Gi"),
        ["size missing"] = (s => s.Storage.Size = "", "spec.storage.size", "storage.size is required"),
        ["storage class upper case"] = (s => s.Storage.StorageClassName = "Fast_SSD", "spec.storage.storageClassName", "storageClassName must be a DNS subdomain name (lowercase letters, digits, '-' and '.')"),
        ["memory limit below request"] = (s => s.Resources!.Limits!.Memory = "1Gi", "spec.resources.limits.memory", "limits.memory must be at least requests.memory"),
        ["cpu not a quantity"] = (s => s.Resources!.Requests!.Cpu = "two", "spec.resources.requests.cpu", "cpu must be a Kubernetes quantity such as 50Gi or 500m"),
        ["duration too short"] = (s => { s.Tls.Duration = "12h"; s.Tls.RenewBefore = "6h"; }, "spec.tls.duration", "duration must be between 24h and 8760h"),
        ["duration too long"] = (s => s.Tls.Duration = "9000h", "spec.tls.duration", "duration must be between 24h and 8760h"),
        ["duration not go"] = (s => s.Tls.Duration = "90d", "spec.tls.duration", "duration must be a Go duration such as 2160h or 90m"),
        ["renewBefore >= duration"] = (s => s.Tls.RenewBefore = "2160h", "spec.tls.renewBefore", "renewBefore must be shorter than duration"),
        ["renewBefore too short"] = (s => s.Tls.RenewBefore = "30m", "spec.tls.renewBefore", "renewBefore must be at least 1h"),
        ["issuer without name"] = (s => s.Tls.IssuerRef = new IssuerReference(), "spec.tls.issuerRef.name", "issuer name is required and must be a DNS subdomain name"),
        ["rotation with keyIdentifier"] = (s => { s.Encryption.Kmip.KeyIdentifier = "key-1"; s.Encryption.Kmip.MasterKeyRotation = new() { RequestedAt = "2026-12-07T18:00:00Z" }; },
            "spec.encryption.kmip.masterKeyRotation", "masterKeyRotation needs a master key mongod creates: with keyIdentifier set, a rotated member would refuse to start on the key it names (PSMDB-1129)"),
        ["rotation token with a space"] = (s => s.Encryption.Kmip.MasterKeyRotation = new() { RequestedAt = "next week" },
            "spec.encryption.kmip.masterKeyRotation.requestedAt", "requestedAt must be 1 to 64 characters of letters, digits and :._+- (e.g. 2026-12-07T18:00:00Z)"),
        ["no kmip servers"] = (s => s.Encryption.Kmip.Servers = [], "spec.encryption.kmip.servers", "at least one KMIP server is required"),
        ["kmip server without port"] = (s => s.Encryption.Kmip.Servers[1] = "kmip-1.kmip.svc", "spec.encryption.kmip.servers[1]", "KMIP server must be host:port with a port from 1 to 65535 (e.g. kmip.example.org:5696)"),
        ["kmip port out of range"] = (s => s.Encryption.Kmip.Servers[0] = "kmip:70000", "spec.encryption.kmip.servers[0]", "KMIP server must be host:port with a port from 1 to 65535 (e.g. kmip.example.org:5696)"),
        ["kmip ports differ"] = (s => s.Encryption.Kmip.Servers[1] = "kmip-1.kmip.svc:5697", "spec.encryption.kmip.servers[1]", "all KMIP servers must use the same port (mongod takes one port)"),
        ["kmip duplicate"] = (s => s.Encryption.Kmip.Servers[1] = s.Encryption.Kmip.Servers[0], "spec.encryption.kmip.servers[1]", "duplicate KMIP server"),
        ["client cert both"] = (s => s.Encryption.Kmip.ClientCertificate.SecretName = "x", "spec.encryption.kmip.clientCertificate", "clientCertificate needs exactly one of issuerRef or secretName"),
        ["client cert neither"] = (s => s.Encryption.Kmip.ClientCertificate.IssuerRef = null, "spec.encryption.kmip.clientCertificate", "clientCertificate needs exactly one of issuerRef or secretName"),
        ["kmip polling disabled"] = (s => s.Encryption.Kmip.KeyStatePollingSeconds = -1, "spec.encryption.kmip.keyStatePollingSeconds", "keyStatePollingSeconds must be between 30 and 86400 (key-state polling cannot be disabled)"),
        ["kmip ca secret key empty"] = (s => s.Encryption.Kmip.ServerCaSecretRef.Key = "", "spec.encryption.kmip.serverCaSecretRef.key", "Secret key is required and may contain only letters, digits, '-', '_' and '.'"),
        ["kmip missing"] = (s => s.Encryption.Kmip = null!, "spec.encryption.kmip", "encryption.kmip is required: encryption at rest with a KMIP-held master key is always on"),
        ["PHIAccess without namespaces"] = (s => s.Audit.Profile = AuditProfile.PHIAccess, "spec.audit.phiNamespaces", "audit profile PHIAccess requires at least one entry in phiNamespaces"),
        ["namespaces without PHIAccess"] = (s => s.Audit.PhiNamespaces = ["patients"], "spec.audit.phiNamespaces", "phiNamespaces is used only with audit profile PHIAccess"),
        ["PHI namespace regex injection"] = (s => { s.Audit.Profile = AuditProfile.PHIAccess; s.Audit.PhiNamespaces = ["patients", "a|b"]; }, "spec.audit.phiNamespaces[1]", "must be a database (patients) or database.collection (patients.records) of letters, digits, '_' and '-'"),
        ["PHI namespace admin"] = (s => { s.Audit.Profile = AuditProfile.PHIAccess; s.Audit.PhiNamespaces = ["admin.system"]; }, "spec.audit.phiNamespaces[0]", "phiNamespaces must not name the admin, local or config databases"),
        ["audit path absolute"] = (s => s.Audit.Path = "/var/log/audit.json", "spec.audit.path", "audit path must be a relative file path on the data volume, without '..' or a leading '/'"),
        ["audit path escapes"] = (s => s.Audit.Path = "../etc/audit.json", "spec.audit.path", "audit path must be a relative file path on the data volume, without '..' or a leading '/'"),
        ["verification too often"] = (s => s.Verification.IntervalSeconds = 1, "spec.verification.intervalSeconds", "intervalSeconds must be between 10 and 3600"),
        ["allowed client without selectors"] = (s => s.Network.AllowedClients = [new AllowedClient()], "spec.network.allowedClients[0]", SelectorReach.NoSelectorMessage),
        ["empty namespaceSelector"] = (s => s.Network.AllowedClients = [Client(ns: new LabelSelector())], "spec.network.allowedClients[0].namespaceSelector", SelectorReach.EveryNamespaceMessage),
        ["empty namespaceSelector with a podSelector"] = (s => s.Network.AllowedClients = [Client(ns: new LabelSelector(), pods: Labels("app", "api"))], "spec.network.allowedClients[0].namespaceSelector", SelectorReach.EveryNamespaceMessage),
        ["namespaceSelector Exists on the name label"] = (s => s.Network.AllowedClients = [Client(ns: Expressions(Exists("kubernetes.io/metadata.name")), pods: Labels("app", "api"))], "spec.network.allowedClients[0].namespaceSelector", SelectorReach.EveryNamespaceMessage),
        ["namespaceSelector DoesNotExist"] = (s => s.Network.AllowedClients = [Client(ns: Expressions(Requirement("team", LabelSelectorOperator.DoesNotExist)))], "spec.network.allowedClients[0].namespaceSelector", SelectorReach.EveryNamespaceMessage),
        ["namespaceSelector NotIn on the name label"] = (s => s.Network.AllowedClients = [Client(ns: Expressions(Requirement("kubernetes.io/metadata.name", LabelSelectorOperator.NotIn, "kube-system")))], "spec.network.allowedClients[0].namespaceSelector", SelectorReach.EveryNamespaceMessage),
        ["namespaceSelector NotIn and DoesNotExist together"] = (s => s.Network.AllowedClients = [Client(ns: Expressions(Requirement("team", LabelSelectorOperator.NotIn, "red"), Requirement("env", LabelSelectorOperator.DoesNotExist), Exists("kubernetes.io/metadata.name")))], "spec.network.allowedClients[0].namespaceSelector", SelectorReach.EveryNamespaceMessage),
        ["empty podSelector"] = (s => s.Network.AllowedClients = [Client(pods: new LabelSelector())], "spec.network.allowedClients[0].podSelector", SelectorReach.EveryPodMessage),
        ["empty podSelector and empty namespaceSelector"] = (s => s.Network.AllowedClients = [Client(ns: new LabelSelector(), pods: new LabelSelector())], "spec.network.allowedClients[0].podSelector", SelectorReach.EveryPodMessage),
        ["podSelector DoesNotExist"] = (s => s.Network.AllowedClients = [Client(pods: Expressions(Requirement("app", LabelSelectorOperator.DoesNotExist)))], "spec.network.allowedClients[0].podSelector", SelectorReach.EveryPodMessage),
        ["podSelector NotIn"] = (s => s.Network.AllowedClients = [Client(pods: Expressions(Requirement("app", LabelSelectorOperator.NotIn, "web")))], "spec.network.allowedClients[0].podSelector", SelectorReach.EveryPodMessage),
        ["Exists with values"] = (s => s.Network.AllowedClients = [new AllowedClient { PodSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "app", Operator = LabelSelectorOperator.Exists, Values = ["x"] }] } }], "spec.network.allowedClients[0].podSelector.matchExpressions[0].values", "values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist"),
        ["bad label value"] = (s => s.Network.AllowedClients = [new AllowedClient { PodSelector = new LabelSelector { MatchLabels = new() { ["app"] = "-bad-" } } }], "spec.network.allowedClients[0].podSelector.matchLabels.app", "a label value is up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"),
        ["bad expression key"] = (s => s.Network.AllowedClients = [new AllowedClient { PodSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement { Key = "a b", Operator = LabelSelectorOperator.Exists }] } }], "spec.network.allowedClients[0].podSelector.matchExpressions[0].key", "key must be a label key such as app.kubernetes.io/name"),
        ["undefined deletion policy"] = (s => s.DeletionPolicy = (DeletionPolicy)7, "spec.deletionPolicy", "deletionPolicy must be Retain or Delete"),
        ["undefined edition"] = (s => s.Edition = (MongoEdition)9, "spec.edition", "edition must be Enterprise or Percona"),
        ["Percona version without a published build"] = (s => { s.Edition = MongoEdition.Percona; s.Version = "8.0.5"; }, "spec.version", "no Percona Server for MongoDB build of 8.0.5 is known: name its image in spec.image (percona/percona-server-mongodb tags are X.Y.Z-B, e.g. percona/percona-server-mongodb:8.0.12-4)"),
    };

    internal static readonly Dictionary<string, (Action<LdapSpec> Break, string Path, string Message)> LdapCases = new()
    {
        ["plain ldap with LDAPS"] = (l => l.Servers[0] = "ldap://ldap-0.example.org:389", "spec.ldap.servers[0]", LdapTransportMessage),
        ["ldap and ldaps mixed"] = (l => l.Servers = ["ldaps://a.example.org", "ldap://b.example.org"], "spec.ldap.servers[1]", LdapTransportMessage),
        ["StartTLS, which no edition renders"] = (l => { l.TransportSecurity = LdapTransportSecurity.StartTLS; l.Servers = ["ldap://a.example.org"]; }, "spec.ldap.transportSecurity", StartTlsMessage),
        ["ldap not a url"] = (l => l.Servers[0] = "ldap-0.example.org:636", "spec.ldap.servers[0]", "LDAP server must be a URL ldaps://host[:port] or ldap://host[:port] with a port from 1 to 65535"),
        ["no ldap servers"] = (l => l.Servers = [], "spec.ldap.servers", "at least one LDAP server is required"),
        ["bind dn not a dn"] = (l => l.BindDn = "mongodb", "spec.ldap.bindDn", "bindDn must be a DN such as cn=mongodb,ou=services,dc=example,dc=org"),
        ["groups without template"] = (l => l.AuthzQueryTemplate = null, "spec.ldap.authzQueryTemplate", "groupRoleMappings require authzQueryTemplate"),
        ["mapping both"] = (l => l.UserToDnMapping![0].LdapQuery = "ou=people??one?(uid={0})", "spec.ldap.userToDnMapping[0]", "a userToDnMapping rule needs exactly one of substitution or ldapQuery"),
        ["mapping bad regex"] = (l => l.UserToDnMapping![0].Match = "(unclosed", "spec.ldap.userToDnMapping[0].match", "match must be a valid regular expression"),
        ["internal role"] = (l => l.GroupRoleMappings![0].Roles[0].Role = "__system", "spec.ldap.groupRoleMappings[0].roles[0].role", "internal role __system cannot be granted"),
        ["group without roles"] = (l => l.GroupRoleMappings![0].Roles = [], "spec.ldap.groupRoleMappings[0].roles", "at least one role is required"),
        ["bind password ref missing"] = (l => l.BindPasswordSecretRef = null!, "spec.ldap.bindPasswordSecretRef", "a Secret reference (name and key) is required"),
    };

    private const string StartTlsMessage =
        "transportSecurity StartTLS cannot be rendered: mongod (Enterprise and Percona) speaks LDAP over TLS only as LDAPS " +
        "(security.ldap.transportSecurity tls opens ldaps://); use transportSecurity LDAPS with ldaps:// servers";

    private const string LdapTransportMessage = "ldap servers must all be ldaps://: LDAP is spoken over TLS only (LDAPS); plain LDAP is refused";

    internal static AllowedClient Client(LabelSelector? ns = null, LabelSelector? pods = null) =>
        new() { NamespaceSelector = ns, PodSelector = pods };

    internal static LabelSelector Labels(string key, string value) => new() { MatchLabels = new() { [key] = value } };

    internal static LabelSelector Expressions(params LabelSelectorRequirement[] requirements) => new() { MatchExpressions = [.. requirements] };

    internal static LabelSelectorRequirement Exists(string key) => Requirement(key, LabelSelectorOperator.Exists);

    internal static LabelSelectorRequirement Requirement(string key, LabelSelectorOperator op, params string[] values) =>
        new() { Key = key, Operator = op, Values = values.Length > 0 ? [.. values] : null };

    public static TheoryData<string> CaseNames() => [.. Cases.Keys];

    public static TheoryData<string> LdapCaseNames() => [.. LdapCases.Keys];

    [Fact]
    public void The_known_good_specs_are_valid()
    {
        Assert.Empty(HipaaMongoValidator.Validate(Specs.Valid(), null));
        Assert.Empty(HipaaMongoValidator.Validate(Specs.WithLdap(), null));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void An_invalid_spec_is_refused_with_its_path_and_message(string name)
    {
        var (breakIt, path, message) = Cases[name];
        var spec = Specs.Valid();
        breakIt(spec);
        Assert.Contains(new ValidationError(path, message), HipaaMongoValidator.Validate(spec, null));
    }

    [Theory]
    [MemberData(nameof(LdapCaseNames))]
    public void An_invalid_ldap_section_is_refused_with_its_path_and_message(string name)
    {
        var (breakIt, path, message) = LdapCases[name];
        var spec = Specs.WithLdap();
        breakIt(spec.Ldap!);
        Assert.Contains(new ValidationError(path, message), HipaaMongoValidator.Validate(spec, null));
    }

    [Fact]
    public void A_long_resource_name_is_refused()
    {
        var resource = new HipaaMongoResource { Metadata = new() { Name = new string('a', 41) }, Spec = Specs.Valid() };
        Assert.Equal([new ValidationError("metadata.name", HipaaMongoValidator.NameTooLongMessage)],
            HipaaMongoValidator.Validate(resource, null));
    }

    [Theory]
    [InlineData("phi-dbé")]
    [InlineData("0db")]
    [InlineData("phi.db")]
    [InlineData("Phi-db")]
    public void A_name_that_cannot_prefix_service_and_statefulset_names_is_refused(string name)
    {
        var resource = new HipaaMongoResource { Metadata = new() { Name = name, NamespaceProperty = "phi" }, Spec = Specs.Valid() };
        Assert.Equal([new ValidationError("metadata.name", HipaaMongoValidator.NameNotLabelMessage)], HipaaMongoValidator.Validate(resource, null));
        Assert.Equal([HipaaMongoValidator.NameNotLabelMessage], Crds.CelRunner.FailingMessages(resource));
    }
}
