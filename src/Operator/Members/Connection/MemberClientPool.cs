using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;

namespace HipaaMongo.Operator.Members.Connection;

/// <summary>One cached client and what it was built for, with the pool's own copies of its certificates.</summary>
internal sealed record PooledClient(IMongoClient Client, TlsVerdict Verdict, string Fingerprint, string Subject, IReadOnlyList<X509Certificate2> Owned)
{
    public void Dispose()
    {
        Client.Dispose();
        foreach (var c in Owned)
        {
            c.Dispose();
        }
    }
}

/// <summary>
/// One MongoClient per (member host:port, identity), reused across reconciles. A client is rebuilt, and the old one
/// disposed, when the identity's certificate, the trusted CA or the expected DNS name changes (cert-manager renewal).
/// </summary>
internal sealed class MemberClientPool(MemberClientOptions options) : IDisposable
{
    private readonly ConcurrentDictionary<(string Endpoint, MemberIdentity Identity), PooledClient> _clients = new();
    private readonly Lock _gate = new();

    /// <summary>The most one command may take (<see cref="MemberClientOptions.CommandDeadline"/>).</summary>
    public TimeSpan CommandDeadline => options.CommandDeadline;

    public PooledClient Get(MemberTarget member, MemberIdentity identity, X509Certificate2 certificate, X509Certificate2Collection trustedCa)
    {
        var key = ($"{member.Host}:{member.Port}", identity);
        var fingerprint = Fingerprint(certificate, trustedCa, member.ExpectedDnsName);
        lock (_gate)
        {
            if (_clients.TryGetValue(key, out var existing) && existing.Fingerprint == fingerprint)
            {
                return existing;
            }

            var created = Create(member, certificate, trustedCa, fingerprint);
            _clients[key] = created;
            existing?.Dispose();
            return created;
        }
    }

    /// <summary>Forgets <paramref name="client"/> if it is still the pooled one; later sessions get a new client.</summary>
    public void Evict(PooledClient client)
    {
        lock (_gate)
        {
            foreach (var (key, pooled) in _clients)
            {
                if (ReferenceEquals(pooled, client))
                {
                    _clients.TryRemove(key, out _);
                    client.Dispose();
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var c in _clients.Values)
            {
                c.Dispose();
            }

            _clients.Clear();
        }
    }

    private static string Fingerprint(X509Certificate2 identity, X509Certificate2Collection ca, string dns) =>
        string.Join("|", [identity.Thumbprint, dns, .. ca.Select(c => c.Thumbprint).Order(StringComparer.Ordinal)]);

    private PooledClient Create(MemberTarget member, X509Certificate2 identity, X509Certificate2Collection trustedCa, string fingerprint)
    {
        var verdict = new TlsVerdict();
        // Copies: the caller's certificates are disposed after its pass (LoadedCredentials), but this client opens new
        // connections later (a member restarted, a new member still syncing) and each handshake needs them alive.
        var ca = new X509Certificate2Collection(trustedCa.Select(c => X509CertificateLoader.LoadCertificate(c.RawData)).ToArray());
        identity = X509CertificateLoader.LoadPkcs12(identity.Export(X509ContentType.Pkcs12), null);
        var settings = new MongoClientSettings
        {
            Server = new MongoServerAddress(member.Host, member.Port),
            DirectConnection = true,
            UseTls = true,
            Credential = MongoCredential.CreateMongoX509Credential(),
            ConnectTimeout = options.ConnectTimeout,
            ServerSelectionTimeout = options.ServerSelectionTimeout,
            SocketTimeout = options.SocketTimeout,
            ApplicationName = options.ApplicationName,
            RetryWrites = false,
            RetryReads = false,
            SslSettings = new SslSettings
            {
                ClientCertificates = [identity],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CheckCertificateRevocation = false,
                ServerCertificateValidationCallback = (_, cert, chain, _) => Validate(cert, chain, ca, member.ExpectedDnsName, verdict),
            },
            ClusterConfigurator = b => b
                .Subscribe<ServerHeartbeatFailedEvent>(e => verdict.HeartbeatFailed(e.Exception))
                .Subscribe<ServerHeartbeatSucceededEvent>(_ => verdict.HeartbeatSucceeded()),
        };
        return new PooledClient(new MongoClient(settings), verdict, fingerprint, SubjectName.Rfc2253(identity), [identity, .. ca]);
    }

    // SslPolicyErrors is ignored on purpose: it judges against system roots and the dialled IP, both wrong here.
    private static bool Validate(System.Security.Cryptography.X509Certificates.X509Certificate? cert, X509Chain? presented,
        X509Certificate2Collection ca, string dns, TlsVerdict verdict)
    {
        if (cert is null)
        {
            verdict.Rejected("member presented no server certificate");
            return false;
        }

        using var served = X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
        var extra = presented?.ChainElements.Select(e => e.Certificate).ToList() ?? [];
        var reason = ServerCertificateCheck.Reject(served, extra, ca, dns);
        if (reason is null)
        {
            verdict.Accepted();
            return true;
        }

        verdict.Rejected(reason);
        return false;
    }
}
