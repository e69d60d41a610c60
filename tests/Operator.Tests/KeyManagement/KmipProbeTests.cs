using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Kmip;
using HipaaMongo.Kmip.Tests;
using HipaaMongo.Kmip.Transport;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.KeyManagement;

namespace HipaaMongo.Operator.Tests.KeyManagement;

/// <summary>The operator's KMIP probe against a real pykmip-server (Debian's python3-pykmip), with real mutual TLS.</summary>
public sealed class KmipProbeTests(PyKmipServer kmip) : IClassFixture<PyKmipServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KmipProbeCredentials Credentials(TestPki? trusted = null)
    {
        var cas = new X509Certificate2Collection();
        cas.ImportFromPemFile((trusted ?? kmip.Pki).CaFile);
        return new KmipProbeCredentials(kmip.Pki.ClientWithKey(), cas);
    }

    private static KmipModel Model(params int[] ports) => new()
    {
        Servers = [.. ports.Select(p => new HostPort("127.0.0.1", p))],
        ServerCaSecret = "kmip-server-ca",
    };

    // The members' identity creates the keys, as mongod does at its first start.
    private KmipClient Member() => new(new KmipTlsOptions
    {
        Host = "127.0.0.1",
        Port = kmip.Port,
        ClientCertificate = kmip.Pki.ClientWithKey(),
        TrustedCas = Credentials().TrustedCas,
    });

    private static KmipProbe Probe() => new(TimeProvider.System, timeout: TimeSpan.FromSeconds(3));

    [Fact]
    public async Task It_reads_Active_for_an_active_key_Deactivated_for_a_revoked_one_and_Absent_for_an_unknown_id()
    {
        var member = Member();
        var active = await member.CreateAes256KeyAsync(cancellationToken: Ct);
        await member.ActivateAsync(active, Ct);
        var revoked = await member.CreateAes256KeyAsync(cancellationToken: Ct);
        await member.ActivateAsync(revoked, Ct);
        await member.RevokeAsync(revoked, RevocationReasonCode.CessationOfOperation, "test", cancellationToken: Ct);

        var seen = await Probe().ProbeAsync(Model(kmip.Port), Credentials(), null, [active, revoked, "no-such-key-9999"], Ct);

        Assert.True(seen.Reachable);
        Assert.Equal($"127.0.0.1:{kmip.Port}", seen.AnsweredBy);
        Assert.Equal("Active", seen.StateOf(active));
        Assert.Equal("Deactivated", seen.StateOf(revoked));
        Assert.Equal(KeyManagementObservation.Absent, seen.StateOf("no-such-key-9999"));
    }

    [Fact]
    public async Task Servers_are_tried_in_order_and_with_none_answering_the_observation_names_them_and_reads_no_state()
    {
        var closed = ClosedPort();
        var member = Member();
        var key = await member.CreateAes256KeyAsync(cancellationToken: Ct);
        await member.ActivateAsync(key, Ct);

        var second = await Probe().ProbeAsync(Model(closed, kmip.Port), Credentials(), null, [key], Ct);
        var none = await Probe().ProbeAsync(Model(closed), Credentials(), null, [key], Ct);

        Assert.Equal($"127.0.0.1:{kmip.Port}", second.AnsweredBy);
        Assert.Equal("Active", second.StateOf(key));
        Assert.False(none.Reachable);
        Assert.Null(none.StateOf(key));
        Assert.Contains($"127.0.0.1:{closed}", none.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_whose_certificate_does_not_chain_to_the_declared_CA_is_not_an_answer()
    {
        using var other = TestPki.Create("other-ca");

        var seen = await Probe().ProbeAsync(Model(kmip.Port), Credentials(other), null, [], Ct);

        Assert.False(seen.Reachable);
        Assert.NotNull(seen.Failure);
    }

    [Fact]
    public async Task Without_credentials_it_asks_nothing_and_says_why()
    {
        var seen = await Probe().ProbeAsync(Model(kmip.Port), null, "Secret phi-db-kmip-client has no tls.crt and tls.key", [], Ct);

        Assert.False(seen.Reachable);
        Assert.Equal("Secret phi-db-kmip-client has no tls.crt and tls.key", seen.Failure);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: connections are refused
    }
}
