using CsCheck;
using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Tests.Baseline;

/// <summary>Generators of HipaaMongo resources inside the valid space of the API (secure options only).</summary>
internal static class SpecGen
{
    private static readonly Gen<string> Dns = Gen.Select(Gen.Char["abcdefghijklmnopqrstuvwxyz"].Array[1, 8], Gen.Int[0, 99],
        (chars, n) => new string(chars) + n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static readonly Gen<IssuerReference> Issuer = Gen.Select(Dns, Gen.OneOf(IssuerKind.Issuer, IssuerKind.ClusterIssuer),
        (name, kind) => new IssuerReference { Name = name, Kind = kind });

    private static readonly Gen<TlsSpec> Tls = Gen.Select(Gen.Bool, Issuer, Gen.OneOf("2160h", "8760h", "720h"), Gen.OneOf("1h", "24h", "168h"),
        (hasIssuer, issuer, duration, renew) => new TlsSpec { IssuerRef = hasIssuer ? issuer : null, Duration = duration, RenewBefore = renew });

    private static readonly Gen<string> Host = Gen.OneOf(
        Dns.Select(d => d + ".kmip.example.org"),
        Gen.Int[1, 254].Select(i => $"10.0.0.{i}"));

    private static readonly Gen<KmipSpec> Kmip = Gen.Select(Host.Array[1, 3], Gen.Int[1, 65535], Gen.Bool, Issuer, Gen.Int[30, 86400], Gen.Bool,
        (hosts, port, useIssuer, issuer, polling, hasKeyId) => new KmipSpec
        {
            Servers = hosts.Distinct().Select(h => $"{h}:{port}").ToList(),
            ServerCaSecretRef = new SecretKeyReference { Name = "kmip-ca", Key = "ca.crt" },
            ClientCertificate = useIssuer
                ? new KmipClientCertificate { IssuerRef = issuer }
                : new KmipClientCertificate { SecretName = "kmip-client" },
            KeyStatePollingSeconds = polling,
            KeyIdentifier = hasKeyId ? "key-0001" : null,
        });

    private static readonly Gen<AuditSpec> Audit = Gen.Select(Gen.Bool,
        Gen.OneOf("patients", "clinical.notes", "claims", "lab_results.v2", "imaging").Array[1, 4],
        (phi, namespaces) => phi
            ? new AuditSpec { Profile = AuditProfile.PHIAccess, PhiNamespaces = namespaces.Distinct().ToList() }
            : new AuditSpec());

    // LDAPS only: StartTLS is refused at validation (no edition renders it, docs/baseline.md).
    private static readonly Gen<LdapSpec?> Ldap = Gen.Select(Gen.Bool, Dns.Array[1, 3], (present, hosts) => present
        ? new LdapSpec
        {
            Servers = hosts.Distinct().Select(h => "ldaps://" + h + ".example.org").ToList(),
            TransportSecurity = LdapTransportSecurity.LDAPS,
            BindDn = "cn=query,dc=example,dc=org",
            BindPasswordSecretRef = new SecretKeyReference { Name = "ldap-bind", Key = "password" },
            CaSecretRef = new SecretKeyReference { Name = "ldap-ca", Key = "ca.crt" },
            AuthzQueryTemplate = "{USER}?memberOf?base",
        }
        : null);

    private static readonly Gen<List<AllowedClient>?> Clients = Gen.Select(Gen.Int[0, 2], Dns, (count, app) => count == 0
        ? null
        : Enumerable.Range(0, count).Select(i => new AllowedClient
        {
            PodSelector = new LabelSelector { MatchLabels = new() { ["app"] = app + i } },
        }).ToList());

    public static Gen<HipaaMongoResource> Resource { get; } = Gen.Select(
        Gen.Select(Dns, Dns, Gen.Bool, Gen.OneOf(MongoEdition.Enterprise, MongoEdition.Percona), Gen.OneOf("7.0", "8.0"), Gen.Int[0, 30], Gen.OneOf(3, 5, 7)),
        Gen.Select(Gen.Int[1, 999], Tls, Kmip, Audit, Ldap, Clients, Gen.OneOf(DeletionPolicy.Retain, DeletionPolicy.Delete)),
        (a, b) => new HipaaMongoResource
        {
            Metadata = new()
            {
                Name = a.Item1,
                NamespaceProperty = a.Item2,
                Uid = a.Item3 ? "6f1c2a8e-0000-4000-8000-00000000000a" : null,
            },
            Spec = new HipaaMongoSpec
            {
                Edition = a.Item4,
                Version = $"{a.Item5}.{a.Item6}",
                // A Percona version without a published build names its image, as the validator requires.
                Image = a.Item4 == MongoEdition.Percona && VendorImages.PerconaTag($"{a.Item5}.{a.Item6}") is null
                    ? $"registry.example.org/psmdb:{a.Item5}.{a.Item6}-1" : null,
                Members = a.Item7,
                Storage = new StorageSpec { Size = $"{b.Item1}Gi" },
                Tls = b.Item2,
                Encryption = new EncryptionSpec { Kmip = b.Item3 },
                Audit = b.Item4,
                Ldap = b.Item5,
                Network = new NetworkSpec { AllowedClients = b.Item6 },
                DeletionPolicy = b.Item7,
            },
        });
}
