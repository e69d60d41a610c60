using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Tests.Baseline;

/// <summary>Small hand-written baseline models for unit tests.</summary>
internal static class Models
{
    public static BaselineModel Minimal() => new()
    {
        Name = "phi-db",
        Namespace = "clinical",
        Uid = "0b5d3c1e-0000-4000-8000-000000000001",
        Edition = MongoEdition.Enterprise,
        Version = "8.0.4",
        Image = "mongodb/mongodb-enterprise-server:8.0.4-ubi8",
        Storage = new StorageModel("50Gi", null),
        Tls = new TlsModel(),
        Kmip = new KmipModel
        {
            Servers = [new HostPort("kmip-a.example.org", 5696), new HostPort("kmip-b.example.org", 5696)],
            ServerCaSecret = "kmip-ca",
            ClientSecret = "phi-db-kmip-client",
        },
        Audit = new AuditModel(),
    };

    public static BaselineModel WithLdap() => Minimal() with
    {
        Ldap = new LdapModel
        {
            Servers = [new HostPort("dc1.example.org", 636), new HostPort("dc2.example.org", 636)],
            BindDn = "cn=q,dc=example,dc=org",
            BindPasswordSecret = "ldap-bind",
            CaSecret = "ldap-ca",
        },
    };
}
