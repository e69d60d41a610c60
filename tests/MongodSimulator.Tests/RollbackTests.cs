using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// Rollback (manual "Rollbacks During Replica Set Failover"): a primary cut off from the majority takes a w:1 write,
/// the majority elects another primary that takes a w:majority write; once healed the former primary rolls back its
/// uncommitted write and follows the new primary, and the majority-acknowledged write is everywhere.
/// </summary>
public sealed class RollbackTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);
    private readonly SimHarness _h = new();
    private readonly ManualClock _clock = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private IMongoClient Admin(MongodSimulatorHost host) => _h.ScramClient(host, "admin", "admin-password-1");

    private static IMongoCollection<BsonDocument> Records(IMongoClient client) => client.GetDatabase("clinic").GetCollection<BsonDocument>("records");

    [Fact]
    public async Task A_former_primary_rolls_back_the_w1_write_it_took_while_cut_off_and_keeps_the_majority_write()
    {
        var hosts = await _h.StartThreeMemberSetAsync(_clock, TimeSpan.FromSeconds(4));
        var ct = TestContext.Current.CancellationToken;
        await Records(Admin(hosts[0])).InsertOneAsync(new BsonDocument("_id", "before"), cancellationToken: ct);

        hosts[0].Faults.PartitionFrom(hosts[1]);
        hosts[0].Faults.PartitionFrom(hosts[2]);
        await Records(Admin(hosts[0])).WithWriteConcern(WriteConcern.W1).InsertOneAsync(new BsonDocument("_id", "uncommitted"), cancellationToken: ct);
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(16), Step); // m0 steps down, m1 or m2 is elected
        var primary = Assert.Single(hosts, h => h.State.Repl.IsPrimary);
        await Records(Admin(primary)).InsertOneAsync(new BsonDocument("_id", "after"), cancellationToken: ct); // w: majority
        hosts[0].Faults.Heal();
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(6), Step);

        Assert.NotSame(hosts[0], primary);
        Assert.Equal(MemberState.Secondary, hosts[0].State.Repl.State);
        Assert.Equal(["before", "after"], hosts[0].State.Data.Scan("clinic.records").Select(d => d["_id"].AsString));
        Assert.Equal(primary.State.Repl.LastAppliedOpTime, hosts[0].State.Repl.LastAppliedOpTime);
        await Records(Admin(primary)).InsertOneAsync(new BsonDocument("_id", "later"), cancellationToken: ct); // it follows again
        Assert.Equal(3, hosts[0].State.Data.Scan("clinic.records").Count);
    }
}
