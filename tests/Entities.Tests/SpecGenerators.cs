using CsCheck;

namespace HipaaMongo.Entities.Tests;

/// <summary>CsCheck generators of valid specs, built from the documented rules (not from the validator).</summary>
internal static class SpecGenerators
{
    private static readonly Gen<string> Label =
        Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[1, 12].Select(a => new string(a));

    private static readonly Gen<string> DnsName =
        Label.Array[1, 3].Select(parts => string.Join('.', parts));

    private static readonly Gen<string> Version =
        Gen.Select(Gen.OneOf(Gen.Const("7.0"), Gen.Const("8.0")), Gen.Int[0, 30], (series, patch) => $"{series}.{patch}");

    // Percona needs a version it published an image for (spec.image is not generated).
    private static readonly Gen<(MongoEdition Edition, string Version)> EditionAndVersion =
        Gen.Enum<MongoEdition>().SelectMany(e => e == MongoEdition.Percona
            ? Gen.Int[0, VendorImages.KnownPerconaVersions.Count - 1].Select(i => VendorImages.KnownPerconaVersions[i]).Select(v => (e, v))
            : Version.Select(v => (e, v)));

    private static readonly Gen<string> Size =
        Gen.Select(Gen.Int[1, 4096], Gen.OneOf(Gen.Const("Gi"), Gen.Const("Ti")), (n, unit) => $"{n}{unit}");

    private static readonly Gen<IssuerReference> Issuer =
        Gen.Select(DnsName, Gen.Enum<IssuerKind>(), (name, kind) => new IssuerReference { Name = name, Kind = kind });

    private static readonly Gen<SecretKeyReference> SecretRef =
        Gen.Select(DnsName, Gen.OneOf(Gen.Const("ca.crt"), Gen.Const("password"), Gen.Const("tls.key")), (n, k) => new SecretKeyReference { Name = n, Key = k });

    // duration in hours [24, 8760], renewBefore in hours [1, duration - 1].
    private static readonly Gen<TlsSpec> Tls =
        Gen.Int[24, 8760].SelectMany(hours => Gen.Select(Gen.Int[1, hours - 1], Issuer.Null(), (renew, issuer) =>
            new TlsSpec { Duration = $"{hours}h", RenewBefore = $"{renew}h", IssuerRef = issuer }));

    private static readonly Gen<KmipSpec> Kmip =
        Gen.Select(DnsName.HashSet[1, 8], Gen.Int[1, 65535], SecretRef, Gen.Bool, Issuer, DnsName, Gen.Int[30, 86400],
            (hosts, port, ca, useIssuer, issuer, secret, polling) => new KmipSpec
            {
                Servers = [.. hosts.Select(h => $"{h}:{port}")],
                ServerCaSecretRef = ca,
                ClientCertificate = useIssuer
                    ? new KmipClientCertificate { IssuerRef = issuer }
                    : new KmipClientCertificate { SecretName = secret },
                KeyStatePollingSeconds = polling,
            });

    private static readonly Gen<string> PhiNamespace =
        Gen.Select(Label, Label.Null(), (db, coll) => coll is null ? "phi" + db : $"phi{db}.{coll}");

    private static readonly Gen<AuditSpec> Audit =
        Gen.Bool.SelectMany(phi => phi
            ? PhiNamespace.HashSet[1, 10].Select(ns => new AuditSpec { Profile = AuditProfile.PHIAccess, PhiNamespaces = [.. ns] })
            : Gen.Const(new AuditSpec()));

    private static readonly Gen<LdapSpec> Ldap =
        // LDAPS only: StartTLS is refused (no edition renders it).
        Gen.Select(DnsName.HashSet[1, 4], SecretRef, SecretRef, Label, (hosts, password, ca, group) => new LdapSpec
        {
            Servers = [.. hosts.Select(h => "ldaps://" + h)],
            TransportSecurity = LdapTransportSecurity.LDAPS,
            BindDn = "cn=mongodb,dc=example,dc=org",
            BindPasswordSecretRef = password,
            CaSecretRef = ca,
            AuthzQueryTemplate = "{USER}?memberOf?base",
            GroupRoleMappings = [new LdapGroupRoleMapping { Group = $"cn={group},dc=example,dc=org", Roles = [new DatabaseRole { Role = "read", Db = "patients" }] }],
        });

    private static readonly Gen<NetworkSpec> Network =
        Gen.Select(Label, Label, (ns, app) => new NetworkSpec
        {
            AllowedClients =
            [
                new AllowedClient
                {
                    NamespaceSelector = new LabelSelector { MatchLabels = new() { ["kubernetes.io/metadata.name"] = ns } },
                    PodSelector = new LabelSelector { MatchLabels = new() { ["app"] = app } },
                },
            ],
        });

    public static readonly Gen<HipaaMongoSpec> ValidSpec =
        Gen.Select(EditionAndVersion, Gen.OneOf(Gen.Const(3), Gen.Const(5), Gen.Const(7)), Size, Tls, Kmip, Audit,
            Gen.Select(Ldap.Null(), Network, Gen.Enum<DeletionPolicy>(), Gen.Int[10, 3600], DnsName.Null()))
        .Select(t => new HipaaMongoSpec
        {
            Edition = t.Item1.Edition,
            Version = t.Item1.Version,
            Members = t.Item2,
            Storage = new StorageSpec { Size = t.Item3, StorageClassName = t.Item7.Item5 },
            Tls = t.Item4,
            Encryption = new EncryptionSpec { Kmip = t.Item5 },
            Audit = t.Item6,
            Ldap = t.Item7.Item1,
            Network = t.Item7.Item2,
            DeletionPolicy = t.Item7.Item3,
            Verification = new VerificationSpec { IntervalSeconds = t.Item7.Item4 },
        });
}
