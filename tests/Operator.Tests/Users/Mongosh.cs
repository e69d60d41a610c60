using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Operator.Tests.Members.Edge;

namespace HipaaMongo.Operator.Tests.Users;

/// <summary>
/// The real mongosh (.tools/node_modules, installed by scripts/install-mongosh.sh) as a database user: SCRAM-SHA-256
/// over TLS, with a CA-issued transport certificate because members refuse clients without one.
/// </summary>
internal static class Mongosh
{
    public static string Path => System.IO.Path.Combine(TestPaths.RepoRoot, ".tools", "node_modules", ".bin", "mongosh");

    public static async Task<(int Code, string Output)> AsUserAsync(EdgeReplicaSet set, int member, string user, string password, string script)
    {
        var transport = System.IO.Path.Combine(set.Pki.Dir, "transport.pem");
        if (!File.Exists(transport))
            await File.WriteAllTextAsync(transport, set.Pki.Verifier.ExportCertificatePem() + "\n"
                + set.Pki.Verifier.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n");
        var m = set.Members[member];
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in new[]
        {
            $"mongodb://{m.Host}:{m.Port}/?directConnection=true&tls=true&tlsAllowInvalidHostnames=true", "--tlsCAFile", set.Pki.CaFile,
            "--tlsCertificateKeyFile", transport, "-u", user, "-p", password, "--authenticationDatabase", "admin",
            "--authenticationMechanism", "SCRAM-SHA-256", "--quiet", "--norc", "--eval", script,
        })
            psi.ArgumentList.Add(a);
        psi.Environment["MONGOSH_DISABLE_TELEMETRY"] = "1";
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var ct = TestContext.Current.CancellationToken;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
