using System.Security.Cryptography;
using HipaaMongo.Kmip.Transport;

namespace HipaaMongo.Kmip.Tests;

/// <summary>
/// The client against a real KMIP server, Debian's PyKMIP (pykmip-server), over mutual TLS: every operation a
/// mongod and the operator use, and the two ways TLS must fail.
/// </summary>
public class PyKmipConformanceTests(PyKmipServer server) : IClassFixture<PyKmipServer>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private KmipClient Client() => new(Options(server.Pki.ClientWithKey(), server.Pki));

    private KmipTlsOptions Options(System.Security.Cryptography.X509Certificates.X509Certificate2 client, TestPki trusted) => new()
    {
        Host = "127.0.0.1",
        Port = server.Port,
        ClientCertificate = client,
        TrustedCas = [trusted.Ca],
    };

    [Fact]
    public async Task Create_gives_an_active_ready_AES_256_key_after_Activate()
    {
        var client = Client();
        var name = "master-" + Guid.NewGuid().ToString("N");
        var id = await client.CreateAes256KeyAsync(name, Ct);

        Assert.Equal(KeyState.PreActive, await client.GetStateAsync(id, Ct));
        await client.ActivateAsync(id, Ct);
        Assert.Equal(KeyState.Active, await client.GetStateAsync(id, Ct));

        var key = await client.GetSymmetricKeyAsync(id, Ct);
        Assert.Equal(id, key.UniqueIdentifier);
        Assert.Equal(CryptographicAlgorithm.Aes, key.Algorithm);
        Assert.Equal(256, key.LengthBits);
        Assert.Equal(32, key.Material().Length);
    }

    [Fact]
    public async Task Locate_finds_a_key_by_name_and_only_that_key()
    {
        var client = Client();
        var name = "locate-" + Guid.NewGuid().ToString("N");
        var id = await client.CreateAes256KeyAsync(name, Ct);
        await client.CreateAes256KeyAsync("other-" + Guid.NewGuid().ToString("N"), Ct);

        Assert.Equal([id], await client.LocateByNameAsync(name, Ct));
        Assert.Empty(await client.LocateByNameAsync("absent-" + Guid.NewGuid().ToString("N"), Ct));
    }

    [Fact]
    public async Task Locate_filters_by_state()
    {
        var client = Client();
        var name = "state-" + Guid.NewGuid().ToString("N");
        var id = await client.CreateAes256KeyAsync(name, Ct);
        KmipAttribute[] activeNamed = [KmipAttribute.ObjectName(name), KmipAttribute.State(KeyState.Active)];

        Assert.Empty(await client.LocateAsync(activeNamed, Ct));
        await client.ActivateAsync(id, Ct);
        Assert.Equal([id], await client.LocateAsync(activeNamed, Ct));
    }

    [Fact]
    public async Task Register_stores_the_given_key_and_Get_returns_it()
    {
        var client = Client();
        var material = RandomNumberGenerator.GetBytes(32);
        var id = await client.RegisterAesKeyAsync(material, "registered-" + Guid.NewGuid().ToString("N"), Ct);

        var key = await client.GetSymmetricKeyAsync(id, Ct);
        Assert.Equal(material, key.Material());
        Assert.Equal(256, key.LengthBits);
    }

    [Fact]
    public async Task Get_attributes_reports_id_state_algorithm_and_length()
    {
        var client = Client();
        var id = await client.CreateAes256KeyAsync(cancellationToken: Ct);

        var attributes = await client.GetAttributesAsync(id, ["Unique Identifier", "State", "Cryptographic Algorithm", "Cryptographic Length"], Ct);
        var byName = attributes.ToDictionary(a => a.Name, a => a.Value);
        Assert.Equal(id, byName["Unique Identifier"].TextValue);
        Assert.Equal((uint)KeyState.PreActive, byName["State"].EnumValue);
        Assert.Equal((uint)CryptographicAlgorithm.Aes, byName["Cryptographic Algorithm"].EnumValue);
        Assert.Equal(256, byName["Cryptographic Length"].IntegerValue);
    }

    [Fact]
    public async Task Revoke_deactivates_and_Destroy_removes_the_key()
    {
        var client = Client();
        var id = await client.CreateAes256KeyAsync(cancellationToken: Ct);
        await client.ActivateAsync(id, Ct);

        await client.RevokeAsync(id, RevocationReasonCode.CessationOfOperation, "rotated", cancellationToken: Ct);
        Assert.Equal(KeyState.Deactivated, await client.GetStateAsync(id, Ct));

        await client.DestroyAsync(id, Ct);
        var e = await Assert.ThrowsAsync<KmipException>(() => client.GetSymmetricKeyAsync(id, Ct));
        Assert.Equal(ResultReason.ItemNotFound, e.Reason);
    }

    [Fact]
    public async Task An_active_key_cannot_be_destroyed()
    {
        var client = Client();
        var id = await client.CreateAes256KeyAsync(cancellationToken: Ct);
        await client.ActivateAsync(id, Ct);

        var e = await Assert.ThrowsAsync<KmipException>(() => client.DestroyAsync(id, Ct));
        Assert.NotNull(e.Reason);
        Assert.Equal(KeyState.Active, await client.GetStateAsync(id, Ct));
    }

    [Fact]
    public async Task An_unknown_id_is_item_not_found()
    {
        var e = await Assert.ThrowsAsync<KmipException>(() => Client().GetStateAsync("999999", Ct));
        Assert.Equal(ResultReason.ItemNotFound, e.Reason);
    }

    [Fact]
    public async Task A_client_certificate_from_another_CA_is_refused()
    {
        using var stranger = TestPki.Create("stranger-ca");
        var client = new KmipClient(Options(stranger.ClientWithKey(), server.Pki));

        var e = await Assert.ThrowsAsync<KmipException>(() => client.CreateAes256KeyAsync(cancellationToken: Ct));
        Assert.Contains($"TLS with KMIP server 127.0.0.1:{server.Port} failed", e.Message);
    }

    [Fact]
    public async Task A_server_not_signed_by_the_given_CA_is_refused()
    {
        using var other = TestPki.Create("other-ca");
        var client = new KmipClient(Options(server.Pki.ClientWithKey(), other));

        var e = await Assert.ThrowsAsync<KmipException>(() => client.CreateAes256KeyAsync(cancellationToken: Ct));
        Assert.Contains("remote certificate", e.Message);
    }
}
