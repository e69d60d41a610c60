using System.Text.Json.Nodes;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// cert-manager objects (secure-baseline.md 2.3, 2.4; ecosystem-conventions.md 8): a namespaced CA
/// chain when no issuer is given, the member certificate (server + member auth, SANs for every
/// member, CombinedPEM), and client certificates for the operator, the verifier and KMIP. Members
/// share one O/OU; every client certificate has its own OU, because a client whose O/OU/DC match
/// the members' would be accepted with full cluster privileges (2.3).
/// </summary>
internal static class CertificateRenderer
{
    public const string Organization = "hipaa-mongo";

    public static string MemberOu(string name) => $"mongodb-{name}-member";

    public static string OperatorOu(string name) => $"mongodb-{name}-operator";

    public static string VerifierOu(string name) => $"mongodb-{name}-verifier";

    public static string KmipClientOu(string name) => $"mongodb-{name}-kmip-client";

    public static IEnumerable<CertManagerObject> Render(BaselineModel m, RenderOptions options)
    {
        var issuer = m.Tls.IssuerRef;
        if (issuer is null)
        {
            yield return SelfSignedIssuer(m);
            yield return CaCertificate(m);
            yield return CaIssuer(m);
            issuer = new IssuerRefModel(Names.CaIssuer(m.Name));
        }

        yield return MemberCertificate(m, issuer, options);
        // No Certificate for the operator's or the verifier's identity: cert-manager would write a Secret whose key
        // authenticates as their mongod users. The operator obtains both through CertificateRequests whose keys stay in
        // its memory (Identity/CertificateRequestIdentities; docs/install.md, "Client identities").
        if (m.Kmip.ClientIssuerRef is { } kmipIssuer)
        {
            yield return ClientCertificate(m, kmipIssuer, Names.KmipClientCertificate(m.Name), Names.KmipClientSecret(m.Name), $"{m.Name}-kmip-client", KmipClientOu(m.Name));
        }
    }

    /// <summary>DNS names of every member (FQDN and short forms), the Services, and localhost for in-pod bootstrap.</summary>
    public static List<string> MemberDnsNames(BaselineModel m, RenderOptions options)
    {
        var hs = Names.HeadlessService(m.Name);
        var svc = Names.ClientService(m.Name);
        var names = new List<string>();
        for (var i = 0; i < m.Members; i++)
        {
            var pod = Names.Pod(m.Name, i);
            names.Add($"{pod}.{hs}.{m.Namespace}.svc.{options.ClusterDomain}");
            names.Add($"{pod}.{hs}.{m.Namespace}.svc");
            names.Add($"{pod}.{hs}.{m.Namespace}");
            names.Add($"{pod}.{hs}");
        }

        names.Add($"{hs}.{m.Namespace}.svc.{options.ClusterDomain}");
        names.Add($"{svc}.{m.Namespace}.svc.{options.ClusterDomain}");
        names.Add($"{svc}.{m.Namespace}.svc");
        names.Add($"{svc}.{m.Namespace}");
        names.Add(svc);
        names.Add("localhost");
        return names;
    }

    private static CertManagerObject SelfSignedIssuer(BaselineModel m) =>
        Object(m, "Issuer", Names.SelfSignedIssuer(m.Name), new JsonObject { ["selfSigned"] = new JsonObject() });

    private static CertManagerObject CaCertificate(BaselineModel m) => Object(m, "Certificate", Names.CaCertificate(m.Name), new JsonObject
    {
        ["isCA"] = true,
        ["commonName"] = $"{m.Name}-ca",
        ["secretName"] = Names.CaSecret(m.Name),
        ["subject"] = Subject($"mongodb-{m.Name}-ca"),
        // The CA outlives leaf certificates by far; it is renewed well ahead of its own expiry.
        ["duration"] = "43800h",
        ["renewBefore"] = "8760h",
        ["privateKey"] = PrivateKey(),
        ["issuerRef"] = IssuerRef(new IssuerRefModel(Names.SelfSignedIssuer(m.Name))),
        ["secretTemplate"] = SecretTemplate(m),
    });

    private static CertManagerObject CaIssuer(BaselineModel m) =>
        Object(m, "Issuer", Names.CaIssuer(m.Name), new JsonObject { ["ca"] = new JsonObject { ["secretName"] = Names.CaSecret(m.Name) } });

    private static CertManagerObject MemberCertificate(BaselineModel m, IssuerRefModel issuer, RenderOptions options) =>
        Object(m, "Certificate", Names.MemberCertificate(m.Name), new JsonObject
        {
            ["secretName"] = Names.MemberSecret(m.Name),
            ["commonName"] = m.Name,
            ["subject"] = Subject(MemberOu(m.Name)),
            ["dnsNames"] = Array(MemberDnsNames(m, options)),
            // The same PEM is the server certificate and the member (client) certificate (2.3).
            ["usages"] = Array(["digital signature", "key encipherment", "server auth", "client auth"]),
            ["duration"] = m.Tls.Duration,
            ["renewBefore"] = m.Tls.RenewBefore,
            ["privateKey"] = PrivateKey(),
            ["additionalOutputFormats"] = CombinedPem(),
            ["issuerRef"] = IssuerRef(issuer),
            ["secretTemplate"] = SecretTemplate(m),
        });

    private static CertManagerObject ClientCertificate(
        BaselineModel m, IssuerRefModel issuer, string name, string secretName, string commonName, string ou) =>
        Object(m, "Certificate", name, new JsonObject
        {
            ["secretName"] = secretName,
            ["commonName"] = commonName,
            ["subject"] = Subject(ou),
            ["usages"] = Array(["digital signature", "key encipherment", "client auth"]),
            ["duration"] = m.Tls.Duration,
            ["renewBefore"] = m.Tls.RenewBefore,
            ["privateKey"] = PrivateKey(),
            ["additionalOutputFormats"] = CombinedPem(),
            ["issuerRef"] = IssuerRef(issuer),
            ["secretTemplate"] = SecretTemplate(m),
        });

    private static CertManagerObject Object(BaselineModel m, string kind, string name, JsonObject spec) => new()
    {
        Kind = kind,
        Metadata = ObjectMetaFactory.Create(m, name, Labels.Tls),
        Spec = spec,
    };

    private static JsonObject Subject(string ou) => new()
    {
        ["organizations"] = Array([Organization]),
        ["organizationalUnits"] = Array([ou]),
    };

    /// <summary>ECDSA P-384, PKCS8, a fresh key on every renewal (stated explicitly, 2.4).</summary>
    private static JsonObject PrivateKey() => new()
    {
        ["algorithm"] = "ECDSA",
        ["size"] = 384,
        ["encoding"] = "PKCS8",
        ["rotationPolicy"] = "Always",
    };

    /// <summary>tls-combined.pem (key, then chain): directly usable as a mongod certificateKeyFile.</summary>
    private static JsonArray CombinedPem() => [new JsonObject { ["type"] = "CombinedPEM" }];

    private static JsonObject IssuerRef(IssuerRefModel issuer) => new()
    {
        ["name"] = issuer.Name,
        ["kind"] = issuer.Kind,
        ["group"] = issuer.Group,
    };

    private static JsonObject SecretTemplate(BaselineModel m)
    {
        var labels = new JsonObject();
        foreach (var (key, value) in Labels.For(m.Name, Labels.Tls))
        {
            labels[key] = value;
        }

        return new JsonObject { ["labels"] = labels };
    }

    private static JsonArray Array(IEnumerable<string> items) => new(items.Select(i => (JsonNode)JsonValue.Create(i)).ToArray());
}
