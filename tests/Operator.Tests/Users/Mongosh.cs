using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Operator.Tests.Members.Edge;

namespace HipaaMongo.Operator.Tests.Users;

/// <summary>
/// The real mongosh (.tools/node_modules, installed by scripts/install-mongosh.sh) as a database user: SCRAM-SHA-256
/// over TLS, with a CA-issued transport certificate because members refuse clients without one.
/// </summary>
internal static class Mongosh
{
    public static async Task<(int Code, string Output)> AsUserAsync(EdgeReplicaSet set, int member, string user, string password, string script)
    {
        var transport = System.IO.Path.Combine(set.Pki.Dir, "transport.pem");
        if (!File.Exists(transport))
            await File.WriteAllTextAsync(transport, set.Pki.Verifier.ExportCertificatePem() + "\n"
                + set.Pki.Verifier.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        var m = set.Members[member];
        string[] args =
        [
            $"mongodb://{m.Host}:{m.Port}/?directConnection=true&tls=true&tlsAllowInvalidHostnames=true", "--tlsCAFile", set.Pki.CaFile,
            "--tlsCertificateKeyFile", transport, "-u", user, "-p", password, "--authenticationDatabase", "admin",
            "--authenticationMechanism", "SCRAM-SHA-256", "--quiet", "--norc", "--eval", script,
        ];
        var result = await TestSupport.Mongosh.RunAsync(args, TimeSpan.FromSeconds(90), TestContext.Current.CancellationToken);
        return (result.Code, result.All);
    }
}
