using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>TLS protocol policy seen by clients nobody here wrote: openssl s_client and SslStream (doc section 8).</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Openssl_tls1_1_is_refused_while_tls1_2_with_a_client_certificate_is_accepted()
    {
        Assert.True(File.Exists("/usr/bin/openssl"), "openssl is required for this conformance test (apt-get install openssl)");
        var host = await _h.StartAsync(_h.TlsYaml());
        var (certFile, keyFile) = WriteClientPem();

        // SECLEVEL=0 so the refusal comes from the server's disabledProtocols, not from the client's own policy.
        var tls11 = await SClientAsync(host, "-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0", "-cert", certFile, "-key", keyFile);
        var tls12 = await SClientAsync(host, "-tls1_2", "-cert", certFile, "-key", keyFile);

        Assert.True(tls11.ExitCode != 0, tls11.Output);
        Assert.Contains("TLSv1.2", tls12.Output);
        Assert.Contains("Verify return code: 0 (ok)", tls12.Output);
    }

    /// <summary>
    /// This machine's OpenSSL refuses TLS 1.1 even when offered, so the end-to-end refusal above cannot show which
    /// side refused; this pins the simulator's own protocol choice from net.tls.disabledProtocols.
    /// </summary>
    [Theory]
    [InlineData("TLS1_0,TLS1_1", SslProtocols.Tls12 | SslProtocols.Tls13)]
    [InlineData("TLS1_0,TLS1_1,TLS1_2", SslProtocols.Tls13)]
    public void Disabled_protocols_remove_exactly_the_named_versions(string disabled, SslProtocols expected)
    {
        var enabled = HipaaMongo.MongodSimulator.Tls.TlsServerOptions.Protocols(Config.MongodConfig.ParseProtocols(disabled));

        Assert.Equal(expected, enabled);
    }

    [Fact]
    public async Task Openssl_prints_the_same_rfc2253_subject_that_serverStatus_reports()
    {
        var host = await _h.StartAsync(_h.TlsYaml("requireTLS") + "\nsecurity:\n  authorization: enabled\n");
        var x509 = await RunAsync("openssl", "x509", "-in", _h.Pki.ServerPemFile, "-noout", "-subject", "-nameopt", "RFC2253");

        var status = await SimHarness.RunAdmin(_h.ScramClient(host, "admin", "admin-password-1"), new BsonDocument("serverStatus", 1));

        Assert.Equal(x509.Output.Trim(), "subject=" + status["security"]["SSLServerSubjectName"].AsString);
    }

    [Fact]
    public async Task SslStream_tls1_1_client_is_refused()
    {
        var host = await _h.StartAsync(_h.TlsYaml());
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.Port, TestContext.Current.CancellationToken);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);

#pragma warning disable SYSLIB0039 // deliberately offering only TLS 1.1
        var options = new SslClientAuthenticationOptions { TargetHost = "localhost", EnabledSslProtocols = SslProtocols.Tls11 };
#pragma warning restore SYSLIB0039

        await Assert.ThrowsAnyAsync<Exception>(() => ssl.AuthenticateAsClientAsync(options, TestContext.Current.CancellationToken));
        Assert.False(ssl.IsAuthenticated);
    }

    /// <summary>
    /// mongod lets the handshake complete and judges the client certificate after it (ssl_manager_openssl.cpp:
    /// verify_cb returns 1; parseAndValidatePeerCertificate fails with "SSL peer certificate validation failed"), then
    /// ends the session: the client's handshake succeeds and its first read finds the connection closed.
    /// </summary>
    [Fact]
    public async Task A_client_certificate_from_another_ca_passes_the_handshake_and_the_connection_is_then_closed()
    {
        var host = await _h.StartAsync(_h.TlsYaml());
        var ct = TestContext.Current.CancellationToken;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", host.Port, ct);
        await using var ssl = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificates = [_h.Pki.Stranger],
            EnabledSslProtocols = SslProtocols.Tls12,
        };

        await ssl.AuthenticateAsClientAsync(options, ct);
        var read = await ssl.ReadAsync(new byte[16], ct);

        Assert.True(ssl.IsAuthenticated);
        Assert.Equal(0, read);
    }

    [Fact]
    public async Task TlsMode_raised_at_runtime_refuses_new_plaintext_connections_and_keeps_open_ones()
    {
        var host = await _h.StartAsync(_h.TlsYaml("preferTLS") + "\nsecurity:\n  authorization: enabled\n");
        var ping = RawWire.OpMsg(BsonDocument.Parse("{ ping: 1, $db: 'admin' }"));
        using var open = await RawWire.ConnectAsync(host.Port);
        await open.SendAsync(ping);
        Assert.NotNull(await open.ReceiveAsync());

        await SimHarness.RunAdmin(_h.ScramClient(host, "admin", "admin-password-1"), BsonDocument.Parse("{ setParameter: 1, tlsMode: 'requireTLS' }"));
        using var fresh = await RawWire.ConnectAsync(host.Port);
        await fresh.SendAsync(ping);
        await open.SendAsync(ping);

        Assert.Null(await fresh.ReceiveAsync());
        Assert.Equal(1.0, (await open.ReceiveAsync())!.Value.Doc["ok"].ToDouble());
    }

    [Fact]
    public async Task Rotate_certificates_serves_the_renewed_certificate_to_new_connections_without_restart()
    {
        var host = await _h.StartAsync(_h.TlsYaml() + "\nsecurity:\n  authorization: enabled\n");
        var before = await ExpiryAsync(host);
        var renewedNotAfter = DateTimeOffset.UtcNow.AddDays(60);
        _h.Pki.WriteServerPem(renewedNotAfter);

        var rotate = await SimHarness.RunAdmin(_h.ScramClient(host, "admin", "admin-password-1"), new BsonDocument("rotateCertificates", 1));
        var after = await ExpiryAsync(host);

        Assert.True(rotate["ok"].ToBoolean());
        Assert.NotEqual(before, after);
        Assert.Equal(_h.Pki.ServerNotAfter, after);
    }

    [Fact]
    public async Task Expired_certificate_refuses_startup_and_a_failed_rotation_keeps_the_old_certificate()
    {
        var host = await _h.StartAsync(_h.TlsYaml() + "\nsecurity:\n  authorization: enabled\n");
        var served = _h.Pki.ServerNotAfter;
        _h.Pki.WriteServerPem(DateTimeOffset.UtcNow.AddMinutes(-5));

        var startup = await Assert.ThrowsAsync<Config.MongodConfigException>(() => _h.StartAsync(_h.TlsYaml()));
        var rotate = await Assert.ThrowsAsync<MongoDB.Driver.MongoCommandException>(
            () => SimHarness.RunAdmin(_h.ScramClient(host, "admin", "admin-password-1"), new BsonDocument("rotateCertificates", 1)));

        Assert.Contains("expired", startup.Message);
        Assert.NotEqual(0, startup.ExitCode);
        Assert.Equal(0.0, rotate.Result["ok"].ToDouble());
        Assert.Equal(served, await ExpiryAsync(host));
    }

    private async Task<DateTime> ExpiryAsync(MongodSimulatorHost host)
    {
        var status = await SimHarness.RunAdmin(_h.ScramClient(host, "admin", "admin-password-1"), new BsonDocument("serverStatus", 1));
        return status["security"]["SSLServerCertificateExpirationDate"].ToUniversalTime();
    }

    private (string Cert, string Key) WriteClientPem()
    {
        var cert = Path.Combine(_h.Pki.Dir, "client.crt");
        var key = Path.Combine(_h.Pki.Dir, "client.key");
        File.WriteAllText(cert, _h.Pki.Operator.ExportCertificatePem());
        File.WriteAllText(key, _h.Pki.Operator.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    private Task<(int ExitCode, string Output)> SClientAsync(MongodSimulatorHost host, params string[] extra) =>
        RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{host.Port}", "-CAfile", _h.Pki.CaFile, .. extra]);

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        process.StandardInput.Close(); // s_client exits at EOF on stdin
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
