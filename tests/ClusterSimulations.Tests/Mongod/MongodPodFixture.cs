using System.Security.Cryptography.X509Certificates;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.ClusterSimulations.Pods.Mongod;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.Mongod;

/// <summary>
/// A pod shaped like the baseline StatefulSet's (config ConfigMap copied by an init container into an emptyDir,
/// whole-Secret TLS mount with tls-combined.pem and ca.crt, a data claim), with certificates issued by the
/// cert-manager simulation's issuance code.
/// </summary>
internal sealed class MongodPodFixture
{
    public const string Ns = "phi-db";
    public const string ConfigMapName = "rs0-mongod-config";
    public const string TlsSecretName = "rs0-member-tls";

    public const string ValidConf = """
        net:
          port: 27017
          tls:
            mode: requireTLS
            certificateKeyFile: /etc/mongodb/tls/tls-combined.pem
            CAFile: /etc/mongodb/tls/ca.crt
            disabledProtocols: TLS1_0,TLS1_1
            allowConnectionsWithoutCertificates: false
        security:
          authorization: enabled
          clusterAuthMode: x509
          javascriptEnabled: false
          redactClientLogData: true
        storage:
          dbPath: /data/db
        auditLog:
          destination: file
          format: JSON
          path: /data/db/audit/audit.json
        replication:
          replSetName: rs0
        setParameter:
          enableLocalhostAuthBypass: false
          authenticationMechanisms: SCRAM-SHA-256,MONGODB-X509
        """;

    public MongodPodFixture(string podIp)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-5);
        var ca = CertificateIssuance.Issue(new IssuanceRequest("ca", new CertificateSpec
        {
            SecretName = "ca",
            CommonName = "test-ca",
            IsCA = true,
            PrivateKey = new CertificatePrivateKey { Algorithm = "ECDSA", Size = 256 },
            IssuerRef = new IssuerReference { Name = "bootstrap" },
        }, IssuerCredentials.SelfSigned("bootstrap"), null, now));
        var caIssuer = new IssuerCredentials("ca", "Issuer", CertManagerApi.Group, Text(ca.Data, "tls.crt"), Text(ca.Data, "tls.key"));
        CaCertificate = X509Certificate2.CreateFromPem(Text(ca.Data, "tls.crt"));
        var member = CertificateIssuance.Issue(new IssuanceRequest("member", new CertificateSpec
        {
            SecretName = TlsSecretName,
            CommonName = "rs0",
            Subject = new X509Subject { Organizations = ["hipaa-mongo"], OrganizationalUnits = ["mongodb-rs0-member"] },
            DnsNames = ["rs0-0.rs0-hs.phi-db.svc.cluster.local", "localhost"],
            IpAddresses = [podIp],
            Usages = ["digital signature", "key encipherment", "server auth", "client auth"],
            PrivateKey = new CertificatePrivateKey { Algorithm = "ECDSA", Size = 256 },
            AdditionalOutputFormats = [new CertificateAdditionalOutputFormat { Type = "CombinedPEM" }],
            IssuerRef = new IssuerReference { Name = "ca" },
        }, caIssuer, null, now));
        MemberSecret = member.Data;
        var client = CertificateIssuance.Issue(new IssuanceRequest("operator", new CertificateSpec
        {
            SecretName = "operator-tls",
            CommonName = "operator",
            Subject = new X509Subject { Organizations = ["hipaa-mongo"], OrganizationalUnits = ["mongodb-rs0-operator"] },
            Usages = ["digital signature", "key encipherment", "client auth"],
            PrivateKey = new CertificatePrivateKey { Algorithm = "ECDSA", Size = 256 },
            IssuerRef = new IssuerReference { Name = "ca" },
        }, caIssuer, null, now));
        ClientCertificate = X509Certificate2.CreateFromPem(Text(client.Data, "tls.crt"), Text(client.Data, "tls.key"));
    }

    public Dictionary<string, byte[]> MemberSecret { get; }

    public X509Certificate2 CaCertificate { get; }

    public X509Certificate2 ClientCertificate { get; }

    public static string Text(IDictionary<string, byte[]> data, string key) => System.Text.Encoding.ASCII.GetString(data[key]);

    /// <summary>The volume source a kubelet would read: the config ConfigMap and the member Secret.</summary>
    public InMemoryVolumeSource Source(string conf) => new(
        new() { [(Ns, ConfigMapName)] = new() { ["mongod.conf"] = System.Text.Encoding.UTF8.GetBytes(conf) } },
        new() { [(Ns, TlsSecretName)] = MemberSecret });

    public static V1Pod Pod(string uid, string image = "mongodb/mongodb-enterprise-server:8.0.4-ubi8") => new()
    {
        Metadata = new V1ObjectMeta { Name = "rs0-0", NamespaceProperty = Ns, Uid = uid },
        Spec = new V1PodSpec
        {
            Hostname = "rs0-0",
            Subdomain = "rs0-hs",
            Volumes =
            [
                new V1Volume { Name = "config-src", ConfigMap = new V1ConfigMapVolumeSource { Name = ConfigMapName } },
                new V1Volume { Name = "config", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory" } },
                new V1Volume { Name = "tls", Secret = new V1SecretVolumeSource { SecretName = TlsSecretName, DefaultMode = 288 } },
                new V1Volume { Name = "data", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "data-rs0-0" } },
            ],
            InitContainers =
            [
                new V1Container
                {
                    Name = "prepare",
                    Image = image,
                    Command = ["sh", "-c", "cp /etc/mongodb/config-src/* /etc/mongodb/config/ && chmod 0400 /etc/mongodb/config/* && mkdir -p /data/db/audit"],
                    VolumeMounts =
                    [
                        new V1VolumeMount { Name = "config-src", MountPath = "/etc/mongodb/config-src", ReadOnlyProperty = true },
                        new V1VolumeMount { Name = "config", MountPath = "/etc/mongodb/config" },
                        new V1VolumeMount { Name = "data", MountPath = "/data/db" },
                    ],
                },
            ],
            Containers =
            [
                new V1Container
                {
                    Name = "mongod",
                    Image = image,
                    Command = ["mongod"],
                    Args = ["--config", "/etc/mongodb/config/mongod.conf"],
                    VolumeMounts =
                    [
                        new V1VolumeMount { Name = "config", MountPath = "/etc/mongodb/config" },
                        new V1VolumeMount { Name = "tls", MountPath = "/etc/mongodb/tls", ReadOnlyProperty = true },
                        new V1VolumeMount { Name = "data", MountPath = "/data/db" },
                    ],
                },
            ],
        },
    };
}

/// <summary>ConfigMaps and Secrets by (namespace, name), as the kubelet would read them from the API.</summary>
internal sealed class InMemoryVolumeSource(
    Dictionary<(string, string), Dictionary<string, byte[]>> configMaps,
    Dictionary<(string, string), Dictionary<string, byte[]>> secrets) : IPodVolumeSource
{
    public Dictionary<(string, string), Dictionary<string, byte[]>> Secrets => secrets;

    public Task<IReadOnlyDictionary<string, byte[]>?> ConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, byte[]>?>(configMaps.GetValueOrDefault((ns, name)));

    public Task<IReadOnlyDictionary<string, byte[]>?> SecretAsync(string ns, string name, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, byte[]>?>(secrets.GetValueOrDefault((ns, name)));
}
