using System.Text;

namespace HipaaMongo.Operator.Users.Credentials;

/// <summary>
/// The connection string a user's Secret carries: every member, the replica set, TLS required with the CA file
/// mounted beside it (the Secret's ca.crt), and the mechanism. Pure. The password, when there is one, is the only
/// secret in it; letters and digits only (PasswordGenerator), URL-escaped anyway for an externally managed one.
/// </summary>
public static class ConnectionString
{
    /// <summary>Where a client is expected to mount the Secret's ca.crt (and tls.pem for x.509).</summary>
    public const string MountDir = "/etc/hipaa-mongo/user";

    public static string Scram(IReadOnlyList<string> hosts, string replicaSet, string username, string password) =>
        Build(hosts, replicaSet, $"{Uri.EscapeDataString(username)}:{Uri.EscapeDataString(password)}@",
            "authSource=admin&authMechanism=SCRAM-SHA-256");

    public static string X509(IReadOnlyList<string> hosts, string replicaSet) =>
        Build(hosts, replicaSet, "", "authSource=%24external&authMechanism=MONGODB-X509");

    private static string Build(IReadOnlyList<string> hosts, string replicaSet, string userInfo, string auth)
    {
        var sb = new StringBuilder("mongodb://").Append(userInfo).AppendJoin(',', hosts).Append("/?");
        sb.Append("replicaSet=").Append(Uri.EscapeDataString(replicaSet));
        // Every client presents a certificate (net.tls.allowConnectionsWithoutCertificates is false), SCRAM ones too.
        sb.Append("&tls=true&tlsCAFile=").Append(MountDir).Append("/ca.crt&tlsCertificateKeyFile=").Append(MountDir)
            .Append("/tls-combined.pem&").Append(auth);
        return sb.ToString();
    }
}
