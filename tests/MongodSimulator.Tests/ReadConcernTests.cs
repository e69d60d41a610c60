using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// readConcern "majority" against "local" through MongoDB.Driver (manual "Read Concern"): a majority read returns only
/// writes a majority has applied, so while both secondaries lag (slow disks) a w:1 write is read by "local" on the
/// primary and not by "majority" until the secondaries apply it (docs/mongod-simulator.md, "Data").
/// </summary>
public sealed class ReadConcernTests : IAsyncLifetime
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);
    private readonly SimHarness _h = new();
    private readonly ManualClock _clock = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private Task<MongodSimulatorHost[]> ThreeMembersAsync() => _h.StartThreeMemberSetAsync(_clock, TimeSpan.FromSeconds(4));

    private IMongoClient Admin(MongodSimulatorHost host) => _h.ScramClient(host, "admin", "admin-password-1");

    private static IMongoCollection<BsonDocument> Records(IMongoClient client) => client.GetDatabase("clinic").GetCollection<BsonDocument>("records");

    private static Task<List<BsonDocument>> ReadAsync(IMongoClient client, ReadConcern level) =>
        Records(client).WithReadConcern(level).Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_w1_write_that_only_the_primary_has_is_read_by_local_but_not_by_majority_until_the_lagging_secondaries_apply_it()
    {
        var hosts = await ThreeMembersAsync();
        var client = Admin(hosts[0]);
        await Records(client).InsertOneAsync(new BsonDocument("_id", "committed"), cancellationToken: TestContext.Current.CancellationToken); // w: majority
        hosts[1].Faults.SlowDisk(TimeSpan.FromSeconds(30));
        hosts[2].Faults.SlowDisk(TimeSpan.FromSeconds(30));

        await Records(client).WithWriteConcern(WriteConcern.W1).InsertOneAsync(new BsonDocument("_id", "lagging"), cancellationToken: TestContext.Current.CancellationToken);
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(10), Step);
        var local = await ReadAsync(client, ReadConcern.Local);
        var majority = await ReadAsync(client, ReadConcern.Majority);
        var count = await Records(client).WithReadConcern(ReadConcern.Majority).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty,
            cancellationToken: TestContext.Current.CancellationToken);
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(25), Step); // the secondaries apply it; the primary hears so by heartbeat
        var majorityLater = await ReadAsync(client, ReadConcern.Majority);

        Assert.Equal(["committed", "lagging"], local.Select(d => d["_id"].AsString));
        Assert.Equal(["committed"], majority.Select(d => d["_id"].AsString));
        Assert.Equal(1, count);
        Assert.Equal(["committed", "lagging"], majorityLater.Select(d => d["_id"].AsString));
    }

    [Fact]
    public async Task A_majority_acknowledged_write_is_read_by_majority_at_once_and_a_secondary_reads_it_once_it_learns_the_commit_point()
    {
        var hosts = await ThreeMembersAsync();
        await Records(Admin(hosts[0])).InsertOneAsync(new BsonDocument("_id", "visit-1"), cancellationToken: TestContext.Current.CancellationToken);
        var secondary = Records(Admin(hosts[1])).WithReadPreference(ReadPreference.SecondaryPreferred).WithReadConcern(ReadConcern.Majority);

        var onPrimary = await ReadAsync(Admin(hosts[0]), ReadConcern.Majority);
        var onSecondaryBefore = await secondary.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(TestContext.Current.CancellationToken);
        _clock.AdvanceInSteps(TimeSpan.FromSeconds(4), Step); // a heartbeat from the primary carries the commit point
        var onSecondaryAfter = await secondary.Find(FilterDefinition<BsonDocument>.Empty).ToListAsync(TestContext.Current.CancellationToken);

        Assert.Single(onPrimary);
        Assert.Empty(onSecondaryBefore);
        Assert.Single(onSecondaryAfter);
    }
}
