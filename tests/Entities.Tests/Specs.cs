namespace HipaaMongo.Entities.Tests;

/// <summary>Known-good specs the tests start from and then break one field at a time.</summary>
internal static class Specs
{
    public static HipaaMongoSpec Valid() => new()
    {
        Edition = MongoEdition.Enterprise,
        Version = "8.0.4",
        Members = 3,
        Storage = new StorageSpec { Size = "50Gi", StorageClassName = "encrypted-ssd" },
        Resources = new ComputeResources
        {
            Requests = new ResourceAmounts { Cpu = "500m", Memory = "2Gi" },
            Limits = new ResourceAmounts { Cpu = "2", Memory = "4Gi" },
        },
        Encryption = new EncryptionSpec
        {
            Kmip = new KmipSpec
            {
                Servers = ["kmip-0.kmip.svc:5696", "kmip-1.kmip.svc:5696"],
                ServerCaSecretRef = new SecretKeyReference { Name = "kmip-ca", Key = "ca.crt" },
                ClientCertificate = new KmipClientCertificate
                {
                    IssuerRef = new IssuerReference { Name = "kmip-clients", Kind = IssuerKind.ClusterIssuer },
                },
            },
        },
    };

    public static HipaaMongoSpec WithLdap()
    {
        var spec = Valid();
        spec.Edition = MongoEdition.Percona;
        spec.Ldap = new LdapSpec
        {
            Servers = ["ldaps://ldap-0.example.org:636", "ldaps://ldap-1.example.org"],
            BindDn = "cn=mongodb,ou=services,dc=example,dc=org",
            BindPasswordSecretRef = new SecretKeyReference { Name = "ldap-bind", Key = "password" },
            CaSecretRef = new SecretKeyReference { Name = "ldap-ca", Key = "ca.crt" },
            UserToDnMapping = [new LdapUserToDnRule { Match = "(.+)", Substitution = "cn={0},ou=people,dc=example,dc=org" }],
            AuthzQueryTemplate = "{USER}?memberOf?base",
            GroupRoleMappings =
            [
                new LdapGroupRoleMapping
                {
                    Group = "cn=phi-readers,ou=groups,dc=example,dc=org",
                    Roles = [new DatabaseRole { Role = "read", Db = "patients" }],
                },
            ],
        };
        return spec;
    }

    public const string MinimalYaml = """
        apiVersion: hipaa.mongooperator.io/v1alpha1
        kind: HipaaMongo
        metadata:
          name: rs0
          namespace: phi-db
        spec:
          edition: Enterprise
          version: "8.0.4"
          storage:
            size: 50Gi
          encryption:
            kmip:
              servers: ["kmip.example.org:5696"]
              serverCaSecretRef: {name: kmip-ca, key: ca.crt}
              clientCertificate:
                secretName: kmip-client-tls
        """;
}
