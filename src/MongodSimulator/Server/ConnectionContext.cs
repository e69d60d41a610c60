using System.Net;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// An authenticated identity on a connection. <paramref name="Stored"/>: backed by a user document (SCRAM, x.509
/// $external), whose current state mongod reads again before each command; <paramref name="Ldap"/>: a directory user
/// ($external, PLAIN), whose roles come from mongod's LDAP user cache (Auth/Ldap/LdapUserCache); __system is neither.
/// </summary>
public sealed record AuthenticatedUser(string User, string Db, IReadOnlyList<RoleRef> Roles, bool Stored = false, bool Ldap = false)
{
    public BsonDocument ToBson() => new() { { "user", User }, { "db", Db } };
}

/// <summary>Per-connection state: peer, TLS client certificate, authenticated users, the SASL conversation.</summary>
public sealed class ConnectionContext
{
    public ConnectionContext(int id, IPEndPoint? local, IPEndPoint? remote)
    {
        Id = id;
        Local = local;
        Remote = remote;
    }

    public int Id { get; }

    public IPEndPoint? Local { get; }

    public IPEndPoint? Remote { get; }

    public bool IsLoopback => Remote is not null && IPAddress.IsLoopback(Remote.Address);

    public bool Tls { get; set; }

    public X509Certificate2? ClientCertificate { get; set; }

    /// <summary>False when the certificate was only let through by allowInvalidCertificates (unusable for X509 auth).</summary>
    public bool ClientCertificateValid { get; set; }

    public List<AuthenticatedUser> Users { get; } = [];

    public ScramConversation? Sasl { get; set; }

    public string? SaslDb { get; set; }

    public bool IsAuthenticated => Users.Count > 0;

    public IEnumerable<RoleRef> Roles => Users.SelectMany(u => u.Roles);

    public BsonArray UsersBson() => new(Users.Select(u => u.ToBson()));

    public BsonArray RolesBson() => new(Roles.Select(r => r.ToBson()));
}
