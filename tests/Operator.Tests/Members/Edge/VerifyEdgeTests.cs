using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Verification;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Tests.Members.Edge;

/// <summary>VerifyAsync and RotateCertificatesAsync against simulated members over real TLS.</summary>
[Trait(Tier.Name, Tier.Members)]
public sealed class VerifyEdgeTests : IAsyncDisposable
{
    private readonly EdgeReplicaSet _set = new();
    private readonly MongoMemberVerifier _verifier = new(EdgeReplicaSet.FastOptions, TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        _verifier.Dispose();
        await _set.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task BootstrappedAsync()
    {
        await _set.StartAsync();
        var result = await _verifier.EnsureBootstrappedAsync(_set.Target, _set.Expected, _set.Credentials, Ct);
        Assert.Equal(BootstrapState.Bootstrapped, result.State);
    }

    private Task<MemberVerification> VerifyAsync(int i) => new MemberActuator(_verifier).VerifyAsync(_set.Members[i], _set.Expected, _set.Credentials, Ct);

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_refused_with_that_reason()
    {
        await _set.StartAsync(1, (i, dns) => _set.Pki.WriteMemberPem(i, dns, DateTimeOffset.UtcNow.AddDays(20), _set.Pki.OtherCa));

        var result = await VerifyAsync(0);

        Assert.False(result.Reachable);
        Assert.Contains("server certificate not issued by the cluster CA", result.Failure);
        Assert.Null(result.Parameters);
    }

    [Fact]
    public async Task A_server_certificate_for_another_name_is_refused_even_though_the_ip_was_dialled()
    {
        await _set.StartAsync(1, (i, _) => _set.Pki.WriteMemberPem(i, "intruder.example.org", DateTimeOffset.UtcNow.AddDays(20)));

        var result = await VerifyAsync(0);

        Assert.False(result.Reachable);
        Assert.Contains($"not valid for {_set.Members[0].ExpectedDnsName}", result.Failure);
    }

    [Fact]
    public async Task A_stopped_member_is_unreachable_with_a_reason()
    {
        await _set.StartAsync(1);
        await _set.StopAsync(0);

        var result = await VerifyAsync(0);

        Assert.False(result.Reachable);
        Assert.Contains("phi-db-0", result.Failure);
        Assert.Contains("refused", result.Failure);
        Assert.False(result.ToFinding().Reachable);
    }

    [Fact]
    public async Task A_member_answering_nonsense_is_reported_not_thrown()
    {
        const string dns = "phi-db-0.phi-db-hs.clinical.svc.cluster.local";
        using var cert = _set.Pki.WriteMemberPem(0, dns, DateTimeOffset.UtcNow.AddDays(20));
        await using var garbage = new GarbageMember(System.Net.IPAddress.Loopback, cert);
        var target = new MemberTarget("phi-db-0", "127.0.0.1", garbage.Port, dns);

        var result = await new MemberActuator(_verifier).VerifyAsync(target, _set.Expected, _set.Credentials, Ct);
        var rotation = await _verifier.RotateCertificatesAsync(target, _set.Credentials, Ct);

        Assert.False(result.Reachable);
        Assert.Contains("phi-db-0", result.Failure);
        Assert.Contains("did not answer with MongoDB wire messages", result.Failure);
        Assert.False(rotation.Rotated);
        Assert.Contains("phi-db-0", rotation.Error);
    }

    // A frozen process (SIGSTOP, a stuck node) keeps its port: TCP connects, and a TLS handshake is never answered.
    // MongoDB.Driver 3.14 bounds the TCP connect and each read, but a pooled connection's TLS handshake waits without a
    // deadline (seen in a dump: SslStreamFactory.CreateStreamAsync in ReceiveHandshakeFrameAsync), which held a pass
    // forever. Two reads at once make the pool open a second connection, into the frozen handshake.
    [Fact(Timeout = 180_000)]
    public async Task A_frozen_member_is_reported_unreachable_and_never_holds_the_verification()
    {
        var ct = TestContext.Current.CancellationToken;
        await BootstrappedAsync();
        var member = _set.Members[0];
        var ip = System.Net.IPAddress.Parse(member.Host);
        await using var port = ClusterSimulations.Pods.Mongod.PodPort.Start(new System.Net.IPEndPoint(ip, 0), new System.Net.IPEndPoint(ip, member.Port));
        var front = member with { Port = port.EndPoint.Port };
        Assert.True((await new MemberActuator(_verifier).VerifyAsync(front, _set.Expected, _set.Credentials, ct)).Reachable);

        port.Hung = true;
        var both = await Task.WhenAll(
            new MemberActuator(_verifier).VerifyAsync(front, _set.Expected, _set.Credentials, ct),
            new MemberActuator(_verifier).VerifyAsync(front, _set.Expected, _set.Credentials, ct));

        Assert.All(both, r =>
        {
            Assert.False(r.Reachable);
            Assert.Contains("phi-db-0", r.Failure);
        });
    }

    [Fact]
    public async Task Rotation_after_the_files_are_replaced_serves_the_new_expiry_without_a_restart()
    {
        await BootstrappedAsync();
        var renewed = DateTimeOffset.UtcNow.AddDays(60);
        var expected = _set.Pki.WriteMemberPem(0, _set.Members[0].ExpectedDnsName, renewed).NotAfter.ToUniversalTime();

        var result = await _verifier.RotateCertificatesAsync(_set.Members[0], _set.Credentials, Ct);
        var status = await EdgeReplicaSet.Admin(_set.Client(0, _set.Pki.Verifier), new BsonDocument("serverStatus", 1));

        Assert.True(result.Rotated, result.Error);
        Assert.Equal(expected, result.ServedNotAfter?.UtcDateTime);
        Assert.Equal(expected, status["security"]["SSLServerCertificateExpirationDate"].ToUniversalTime());
    }

    [Fact]
    public async Task Verification_reads_a_healthy_member_and_reports_its_role()
    {
        await BootstrappedAsync();

        var result = await VerifyAsync(0);

        Assert.True(result.Reachable, result.Failure);
        Assert.Null(result.Failure);
        Assert.NotNull(result.Parameters);
        Assert.Equal("requireTLS", result.Parameters!.TlsMode);
        Assert.Equal(Entities.MemberRole.Primary, result.Role);
        Assert.Equal(_set.MemberCertificate.NotAfter.ToUniversalTime(), result.TlsExpiry?.UtcDateTime);
    }

    [Fact]
    public async Task RedactClientLogData_turned_off_by_an_admin_is_corrected_and_a_fresh_read_shows_true()
    {
        await BootstrappedAsync();
        var dba = await DbaAsync(0);
        await EdgeReplicaSet.Admin(dba, BsonDocument.Parse("{ setParameter: 1, redactClientLogData: false }"));

        var result = await VerifyAsync(0);
        var fresh = await EdgeReplicaSet.Admin(_set.Client(0, _set.Pki.Verifier), BsonDocument.Parse("{ getParameter: 1, redactClientLogData: 1 }"));

        var correction = Assert.Single(result.Corrections, c => c.Setting.Contains("redactClientLogData"));
        Assert.True(correction.Applied, correction.Error);
        Assert.Equal(false, result.Parameters?.RedactClientLogData);
        Assert.True(fresh["redactClientLogData"].AsBoolean);
    }

    [Fact]
    public async Task The_edge_runs_the_commands_it_is_given_in_order_as_the_operator_each_with_its_own_outcome()
    {
        await BootstrappedAsync();
        var dba = await DbaAsync(0);
        await EdgeReplicaSet.Admin(dba, BsonDocument.Parse("{ setParameter: 1, redactClientLogData: false }"));

        // The operator role holds setParameter but no insert: the first is refused, the second still runs.
        var results = await _verifier.RunAsync(_set.Members[0],
        [
            new MemberCommand("clinical", BsonDocument.Parse("{ insert: 'notes', documents: [ { text: 'not for the operator' } ] }")),
            new MemberCommand("admin", BsonDocument.Parse("{ setParameter: 1, redactClientLogData: true }")),
        ], _set.Credentials, Ct);
        var fresh = await EdgeReplicaSet.Admin(_set.Client(0, _set.Pki.Verifier), BsonDocument.Parse("{ getParameter: 1, redactClientLogData: 1 }"));

        Assert.Equal(2, results.Count);
        Assert.False(results[0].Ok);
        Assert.False(string.IsNullOrEmpty(results[0].Error));
        Assert.Equal(CommandResult.Done, results[1]);
        Assert.True(fresh["redactClientLogData"].AsBoolean);
    }

    [Fact]
    public async Task A_rogue_root_user_is_reported_and_left_in_place()
    {
        await BootstrappedAsync();
        var dba = await DbaAsync(0);
        await EdgeReplicaSet.Admin(dba, BsonDocument.Parse("{ createUser: 'rogue', pwd: 'rogue-password-1', roles: [ { role: 'root', db: 'admin' } ] }"));

        var result = await VerifyAsync(1);
        var users = await EdgeReplicaSet.Admin(_set.Client(1, _set.Pki.Verifier), BsonDocument.Parse("{ usersInfo: { forAllDBs: true } }"));

        Assert.Contains(result.Uncorrectable, u => u.Contains("admin.rogue") && u.Contains("root"));
        Assert.Contains("admin.rogue", result.Parameters?.UsersOutsideDeclaredSet ?? []);
        Assert.Contains(users["users"].AsBsonArray, u => u["user"] == "rogue");
    }

    [Fact]
    public async Task A_client_certificate_from_another_ca_is_named_as_refused_by_the_member()
    {
        await BootstrappedAsync();
        using var stranger = EdgePki.IssueClient("verifier", "hipaa-mongo-verifier", _set.Pki.OtherCa);
        var credentials = new MemberCredentials(new X509Certificate2Collection(_set.Pki.Ca), _set.Pki.Operator, stranger, _set.MemberCertificate);

        var result = await new MemberActuator(_verifier).VerifyAsync(_set.Members[0], _set.Expected, credentials, Ct);

        Assert.False(result.Reachable);
        Assert.StartsWith("certificate refused: ", result.Failure, StringComparison.Ordinal);
        Assert.Contains("phi-db-0", result.Failure);
        Assert.Contains("CN=hipaa-mongo-verifier", result.Failure);
        Assert.DoesNotContain("server certificate", result.Failure);
    }

    [Fact]
    public async Task A_dropped_verifier_user_is_named_user_missing_and_the_bootstrap_creates_it_again()
    {
        await BootstrappedAsync();
        var system = _set.Client(0, _set.MemberCertificate);
        await EdgeReplicaSet.Admin(system, new BsonDocument("dropUser", _set.Expected.VerifierUser), "$external");

        var result = await VerifyAsync(0);

        Assert.False(result.Reachable);
        Assert.StartsWith("user missing: ", result.Failure, StringComparison.Ordinal);
        Assert.Contains($"no user {_set.Expected.VerifierUser} in $external", result.Failure);
        var refusal = Assert.Single(result.RefusedIdentities);
        Assert.Equal(("verifier", true), (refusal.Identity, refusal.UserMissing));

        var again = await _verifier.EnsureBootstrappedAsync(_set.Target, _set.Expected, _set.Credentials, Ct);
        Assert.Equal(BootstrapState.Bootstrapped, again.State);
        Assert.Equal($"created user {_set.Expected.VerifierUser} as the operator", again.Message);
        var after = await VerifyAsync(0);
        Assert.True(after.Reachable, after.Failure);
        Assert.Empty(after.RefusedIdentities);
    }

    [Fact]
    public async Task A_dropped_operator_user_is_named_and_created_again_with_the_member_certificate()
    {
        await BootstrappedAsync();
        var system = _set.Client(0, _set.MemberCertificate);
        await EdgeReplicaSet.Admin(system, new BsonDocument("dropUser", _set.Expected.OperatorUser), "$external");

        var result = await VerifyAsync(0);

        Assert.True(result.Reachable, result.Failure); // the verifier still reads
        var refusal = Assert.Single(result.RefusedIdentities);
        Assert.Equal(("operator", true, _set.Expected.OperatorUser), (refusal.Identity, refusal.UserMissing, refusal.Subject));
        Assert.StartsWith("user missing: ", refusal.Reason, StringComparison.Ordinal);

        var again = await _verifier.EnsureBootstrappedAsync(_set.Target, _set.Expected, _set.Credentials, Ct);
        Assert.Equal(BootstrapState.Bootstrapped, again.State);
        Assert.Equal($"created user {_set.Expected.OperatorUser} with the member certificate", again.Message);
        var after = await VerifyAsync(0);
        Assert.Empty(after.RefusedIdentities);
    }

    // A root SCRAM user made with the member (__system) identity: "an admin" who changes things over the wire.
    private async Task<IMongoClient> DbaAsync(int primary)
    {
        var system = _set.Client(primary, _set.MemberCertificate);
        await EdgeReplicaSet.Admin(system, BsonDocument.Parse("{ createUser: 'dba', pwd: 'dba-password-1', roles: [ 'root' ] }"));
        return _set.Client(primary, _set.MemberCertificate, MongoCredential.CreateCredential("admin", "dba", "dba-password-1"));
    }
}
