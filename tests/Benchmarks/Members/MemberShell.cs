using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>
/// What a person does with scripts/member-shell.sh: one member by pod IP, TLS with the operator's client certificate
/// and MONGODB-X509, the server certificate checked against the cluster CA but not its name (the pod IP is not in it).
/// </summary>
public sealed class MemberShell : IDisposable
{
    const string Parameter = "redactClientLogData";

    readonly X509Certificate2 ca;
    readonly X509Certificate2 client;
    readonly MongoClient mongo;

    public MemberShell(string ip, Identity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ca = X509Certificate2.CreateFromPem(identity.CaPem);
        using var pem = X509Certificate2.CreateFromPem(identity.CertificatePem, identity.KeyPem);
        // SslStream on Linux needs the key in a PKCS#12-backed certificate, not an ephemeral PEM one.
        client = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pfx), null);
        mongo = new MongoClient(new MongoClientSettings
        {
            Server = new MongoServerAddress(ip, 27017),
            DirectConnection = true,
            UseTls = true,
            RetryReads = false,
            RetryWrites = false,
            ServerSelectionTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            SocketTimeout = TimeSpan.FromSeconds(10),
            Credential = MongoCredential.CreateMongoX509Credential(),
            SslSettings = new SslSettings
            {
                ClientCertificates = [client],
                ServerCertificateValidationCallback = (_, cert, _, errors) => ChainsTo(cert, errors),
            },
        });
    }

    /// <summary>setParameter redactClientLogData: false; returns the value it replaced.</summary>
    public async Task<bool> RedactOffAsync(CancellationToken ct)
    {
        var reply = await RunAsync(new BsonDocument { { "setParameter", 1 }, { Parameter, false } }, ct);
        return reply.GetValue("was", BsonBoolean.False).ToBoolean();
    }

    /// <summary>getParameter redactClientLogData: what the member reports now.</summary>
    public async Task<bool> RedactAsync(CancellationToken ct)
    {
        var reply = await RunAsync(new BsonDocument { { "getParameter", 1 }, { Parameter, 1 } }, ct);
        return reply[Parameter].ToBoolean();
    }

    public Task<BsonDocument> RunAsync(BsonDocument command, CancellationToken ct) =>
        mongo.GetDatabase("admin").RunCommandAsync<BsonDocument>(command, cancellationToken: ct);

    public void Dispose()
    {
        mongo.Dispose();
        client.Dispose();
        ca.Dispose();
    }

    bool ChainsTo(X509Certificate? presented, SslPolicyErrors errors)
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
