using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// What a person does with scripts/member-shell.sh: hold a certificate of the operator's mongod user (obtained as the
/// operator obtains it, through a CertificateRequest: <see cref="TestIdentities.RequestedIdentity"/>) and talk to one
/// member by pod IP over TLS with MONGODB-X509, then run ordinary commands (setParameter, createUser). The server
/// certificate is checked against the cluster CA; its host name is not (the pod IP is not in it).
/// </summary>
internal static class PersonWithOperatorCertificate
{
    public static async Task<BsonDocument> RunAsync(IKubernetes client, string ns, string name, string podIp, BsonDocument command,
        CancellationToken ct, MongoCredential? credential = null)
    {
        var issued = await TestIdentities.RequestedIdentity.ForAsync(client, ns, name, HipaaMongo.Operator.Identity.ClientRole.Operator, ct);
        using var identity = issued.Certificate;
        using var ca = X509Certificate2.CreateFromPem(issued.CaPem);
        return await RunAsAsync(identity, ca, podIp, "admin", command, ct, credential);
    }

    /// <summary>The same with another certificate Secret (the member's, which mongod maps to __system) on any database.</summary>
    public static async Task<BsonDocument> RunWithAsync(IKubernetes client, string ns, string secretName, string podIp, string database,
        BsonDocument command, CancellationToken ct)
    {
        var secret = await client.CoreV1.ReadNamespacedSecretAsync(secretName, ns, cancellationToken: ct);
        string Text(string key) => Encoding.UTF8.GetString(secret.Data[key]);
        using var identity = X509Certificate2.CreateFromPem(Text("tls.crt"), Text("tls.key"));
        using var ca = X509Certificate2.CreateFromPem(Text("ca.crt"));
        return await RunAsAsync(identity, ca, podIp, database, command, ct);
    }

    // The certificate always opens TLS (members refuse connections without one); the credential is x.509 unless another
    // is given (e.g. PLAIN for a directory user, whose login is the directory's).
    private static async Task<BsonDocument> RunAsAsync(X509Certificate2 identity, X509Certificate2 ca, string podIp, string database,
        BsonDocument command, CancellationToken ct, MongoCredential? credential = null)
    {
        var settings = new MongoClientSettings
        {
            Server = new MongoServerAddress(podIp, 27017),
            DirectConnection = true,
            UseTls = true,
            RetryReads = false,
            RetryWrites = false,
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
            Credential = credential ?? MongoCredential.CreateMongoX509Credential(),
            SslSettings = new SslSettings
            {
                ClientCertificates = [X509CertificateLoader.LoadPkcs12(identity.Export(X509ContentType.Pfx), null)],
                ServerCertificateValidationCallback = (_, cert, _, errors) => ChainsTo(ca, cert, errors),
            },
        };
        using var mongo = new MongoClient(settings);
        return await mongo.GetDatabase(database).RunCommandAsync<BsonDocument>(command, cancellationToken: ct);
    }

    private static bool ChainsTo(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
