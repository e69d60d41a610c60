using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// The data plane through MongoDB.Driver's own CRUD API (docs/mongod-simulator.md, "Data"): what the driver sends
/// for InsertMany, Find with filters/projection/sort/skip/limit and getMore, UpdateOne/UpdateMany/ReplaceOne with
/// upsert, DeleteOne/DeleteMany, CountDocuments (an aggregate), and the collection commands; privileges per action
/// with mongod's codes; authCheck audit events for CRUD.
/// </summary>
public sealed class CrudTests : IAsyncLifetime
{
    private readonly SimHarness _h = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _h.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(MongodSimulatorHost Host, IMongoClient Admin)> PrimaryAsync(string extraYaml = "")
    {
        var host = await _h.StartAsync(_h.TlsYaml() + "\nsecurity:\n  authorization: enabled\n  clusterAuthMode: x509\nreplication:\n  replSetName: rs0\n" + extraYaml);
        var admin = _h.ScramClient(host, "admin", "admin-password-1");
        await SimHarness.RunAdmin(admin, new BsonDocument("replSetInitiate", new BsonDocument()));
        return (host, admin);
    }

    private static IMongoCollection<BsonDocument> Patients(IMongoClient client) => client.GetDatabase("clinic").GetCollection<BsonDocument>("patients");

    private static BsonDocument[] Sample() =>
    [
        new() { { "_id", 1 }, { "name", "Ada" }, { "age", 36 }, { "ward", "A" }, { "tags", new BsonArray { "diabetic" } } },
        new() { { "_id", 2 }, { "name", "Ben" }, { "age", 52 }, { "ward", "B" } },
        new() { { "_id", 3 }, { "name", "Cy" }, { "age", 17 }, { "ward", "A" }, { "discharged", true } },
        new() { { "_id", 4 }, { "name", "Di" }, { "age", 71 }, { "ward", "C" } },
    ];

    [Fact]
    public async Task Find_filters_with_the_common_operators_projects_sorts_skips_limits_and_pages_with_getMore()
    {
        var (_, admin) = await PrimaryAsync();
        var patients = Patients(admin);
        await patients.InsertManyAsync(Sample(), cancellationToken: Ct);

        async Task<List<int>> Ids(string filter) =>
            (await patients.Find(BsonDocument.Parse(filter)).SortBy(d => d["_id"]).ToListAsync(Ct)).Select(d => d["_id"].AsInt32).ToList();

        Assert.Equal([1, 3], await Ids("{ ward: 'A' }"));
        Assert.Equal([2, 4], await Ids("{ age: { $gt: 36 } }"));
        Assert.Equal([1, 2, 4], await Ids("{ age: { $gte: 36, $lte: 90 } }"));
        Assert.Equal([3], await Ids("{ age: { $lt: 36 } }"));
        Assert.Equal([2, 3, 4], await Ids("{ name: { $ne: 'Ada' } }"));
        Assert.Equal([1, 4], await Ids("{ ward: { $in: [ 'A', 'C' ] }, discharged: { $exists: false } }"));
        Assert.Equal([2, 4], await Ids("{ ward: { $nin: [ 'A' ] } }"));
        Assert.Equal([1], await Ids("{ tags: 'diabetic' }"));
        Assert.Equal([1, 4], await Ids("{ $or: [ { age: { $eq: 36 } }, { age: 71 } ] }"));
        Assert.Equal([2], await Ids("{ $and: [ { age: { $gt: 40 } }, { ward: 'B' } ] }"));
        Assert.Equal([], await Ids("{ age: { $gt: 'a string' } }")); // type bracketing: numbers never compare to strings

        var page = await patients.Find(FilterDefinition<BsonDocument>.Empty).Sort(new BsonDocument("age", -1)).Skip(1).Limit(2)
            .Project(new BsonDocument { { "name", 1 }, { "_id", 0 } }).ToListAsync(Ct);
        Assert.Equal([new BsonDocument("name", "Ben"), new BsonDocument("name", "Ada")], page);

        using var cursor = await patients.FindAsync(FilterDefinition<BsonDocument>.Empty, new FindOptions<BsonDocument> { BatchSize = 3 }, Ct);
        var batches = new List<int>();
        while (await cursor.MoveNextAsync(Ct))
        {
            batches.Add(cursor.Current.Count());
        }

        Assert.Equal([3, 1], batches); // a first batch of 3, then a getMore for the rest
    }

    [Fact]
    public async Task Updates_deletes_counts_and_collection_commands_behave_as_in_mongod()
    {
        var (host, admin) = await PrimaryAsync();
        var patients = Patients(admin);
        await patients.InsertManyAsync(Sample(), cancellationToken: Ct);

        var one = await patients.UpdateOneAsync("{ _id: 1 }", "{ $set: { ward: 'B' }, $inc: { age: 1 }, $unset: { tags: '' } }", cancellationToken: Ct);
        var many = await patients.UpdateManyAsync("{ ward: 'B' }", "{ $set: { reviewed: true } }", cancellationToken: Ct);
        var upsert = await patients.UpdateOneAsync("{ _id: 9, name: 'Eve' }", "{ $set: { ward: 'D' } }", new UpdateOptions { IsUpsert = true }, Ct);
        var replaced = await patients.ReplaceOneAsync("{ _id: 2 }", new BsonDocument { { "name", "Ben" }, { "age", 53 } }, cancellationToken: Ct);
        var dup = await Assert.ThrowsAsync<MongoWriteException>(() => patients.InsertOneAsync(new BsonDocument("_id", 3), cancellationToken: Ct));
        var deleted = await patients.DeleteManyAsync("{ age: { $gt: 60 } }", Ct);
        var count = await patients.CountDocumentsAsync("{ ward: { $in: [ 'A', 'B', 'D' ] } }", cancellationToken: Ct);
        var ada = await patients.Find("{ _id: 1 }").SingleAsync(Ct);

        Assert.Equal((1, 1), (one.MatchedCount, one.ModifiedCount));
        Assert.Equal(2, many.ModifiedCount);
        Assert.Equal(new BsonInt32(9), upsert.UpsertedId);
        Assert.Equal(1, replaced.ModifiedCount);
        Assert.Equal(11000, dup.WriteError.Code);
        Assert.Equal(1, deleted.DeletedCount);
        Assert.Equal(3, count); // 1 (now B), 3 (A), 9 (D, upserted); 2 lost its ward when replaced, 4 was deleted
        Assert.Equal(BsonDocument.Parse("{ _id: 1, name: 'Ada', age: 37, ward: 'B', reviewed: true }"), ada);

        var clinic = admin.GetDatabase("clinic");
        await clinic.CreateCollectionAsync("notes", cancellationToken: Ct);
        var exists = await Assert.ThrowsAsync<MongoCommandException>(() => clinic.CreateCollectionAsync("notes", cancellationToken: Ct));
        var names = await (await clinic.ListCollectionNamesAsync(cancellationToken: Ct)).ToListAsync(Ct);
        var databases = await (await admin.ListDatabaseNamesAsync(Ct)).ToListAsync(Ct);
        await clinic.DropCollectionAsync("notes", Ct);
        await clinic.DropCollectionAsync("never-existed", Ct);
        await admin.DropDatabaseAsync("clinic", Ct);

        Assert.Equal(48, exists.Code);
        Assert.Equal(["notes", "patients"], names.Order());
        Assert.Contains("clinic", databases);
        Assert.DoesNotContain("clinic", host.State.Databases);
    }

    [Fact]
    public async Task Privileges_are_checked_per_action_and_database_with_mongods_code_and_audited()
    {
        var (host, admin) = await PrimaryAsync("auditLog:\n  destination: file\n  format: JSON\n  path: AUDIT\nsetParameter:\n  auditAuthorizationSuccess: true\n"
            .Replace("AUDIT", Path.Combine(_h.Pki.Dir, "audit-crud.json"), StringComparison.Ordinal));
        await Patients(admin).InsertManyAsync(Sample(), cancellationToken: Ct);
        host.Drift.AddUser(new("admin", "nurse", "nurse-password-1", [new RoleRef("read", "clinic")]));
        host.Drift.AddUser(new("admin", "billing", "billing-password-1", [new RoleRef("readWrite", "billing")]));

        var nurse = Patients(_h.ScramClient(host, "nurse", "nurse-password-1"));
        var billing = Patients(_h.ScramClient(host, "billing", "billing-password-1"));
        var read = await nurse.CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct);
        var write = await Assert.ThrowsAsync<MongoCommandException>(() => nurse.InsertOneAsync(new BsonDocument("_id", 7), cancellationToken: Ct));
        var delete = await Assert.ThrowsAsync<MongoCommandException>(() => billing.DeleteOneAsync("{ _id: 1 }", Ct));
        var find = await Assert.ThrowsAsync<MongoCommandException>(() => billing.Find("{}").ToListAsync(Ct));

        Assert.Equal(4, read);
        Assert.All([write, delete, find], e => Assert.Equal((13, "Unauthorized"), (e.Code, e.CodeName)));
        Assert.StartsWith("not authorized on clinic to execute command { delete: \"patients\"", delete.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(4, await Patients(admin).CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct));
        var audit = (await File.ReadAllLinesAsync(Path.Combine(_h.Pki.Dir, "audit-crud.json"), Ct)).Select(BsonDocument.Parse)
            .Where(e => e["atype"] == "authCheck" && e["param"]["ns"] == "clinic.patients").ToList();
        Assert.Contains(audit, e => e["param"]["command"] == "delete" && e["result"] == 13 && e["users"][0]["user"] == "billing");
        Assert.Contains(audit, e => e["param"]["command"] == "insert" && e["result"] == 0 && e["users"][0]["user"] == "admin");
    }

    [Fact]
    public async Task A_privilege_on_one_collection_covers_that_collection_only()
    {
        var (host, admin) = await PrimaryAsync();
        await Patients(admin).InsertManyAsync(Sample(), cancellationToken: Ct);
        await admin.GetDatabase("clinic").GetCollection<BsonDocument>("notes").InsertOneAsync(new BsonDocument("_id", 1), cancellationToken: Ct);
        await SimHarness.RunAdmin(admin, BsonDocument.Parse(
            "{ createRole: 'patientReader', privileges: [ { resource: { db: 'clinic', collection: 'patients' }, actions: [ 'find' ] } ], roles: [] }"));
        host.Drift.AddUser(new("admin", "clerk", "clerk-password-1", [new RoleRef("patientReader", "admin")]));
        var clerk = _h.ScramClient(host, "clerk", "clerk-password-1").GetDatabase("clinic");

        var patients = await clerk.GetCollection<BsonDocument>("patients").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct);
        var notes = await Assert.ThrowsAsync<MongoCommandException>(() => clerk.GetCollection<BsonDocument>("notes").Find("{}").ToListAsync(Ct));

        Assert.Equal(4, patients);
        Assert.Equal(13, notes.Code);
    }

    [Fact]
    public async Task A_secondary_refuses_writes_and_primary_reads_with_mongods_codes()
    {
        var hosts = new[] { await _h.StartAsync(_h.TlsYaml() + "\nsecurity:\n  authorization: enabled\nreplication:\n  replSetName: rs0\n"),
            await _h.StartAsync(_h.TlsYaml() + "\nsecurity:\n  authorization: enabled\nreplication:\n  replSetName: rs0\n") };
        var members = new BsonArray(hosts.Select((h, i) => new BsonDocument { { "_id", i }, { "host", h.HostAndPort } }));
        await SimHarness.RunAdmin(_h.ScramClient(hosts[0], "admin", "admin-password-1"), new BsonDocument("replSetInitiate", new BsonDocument { { "_id", "rs0" }, { "members", members } }));
        await Patients(_h.ScramClient(hosts[0], "admin", "admin-password-1")).InsertManyAsync(Sample(), cancellationToken: Ct);
        await SimHarness.RunAdmin(_h.ScramClient(hosts[0], "admin", "admin-password-1"),
            BsonDocument.Parse("{ createUser: 'nurse', pwd: 'nurse-password-1', roles: [ { role: 'read', db: 'clinic' } ] }"));
        // The error goes last on each client: after a "not primary" error a driver marks the server Unknown until its
        // streaming hello next reports (as against mongod), so a later request on that client could time out.
        var secondary = _h.ScramClient(hosts[1], "admin", "admin-password-1").GetDatabase("clinic");
        var replicated = await secondary.GetCollection<BsonDocument>("patients").WithReadPreference(ReadPreference.SecondaryPreferred)
            .CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty, cancellationToken: Ct);
        var write = await Assert.ThrowsAnyAsync<MongoCommandException>(() => secondary.RunCommandAsync<BsonDocument>(
            BsonDocument.Parse("{ insert: 'patients', documents: [ { _id: 8 } ] }"), cancellationToken: Ct));
        var primaryRead = await Assert.ThrowsAnyAsync<MongoCommandException>(() => _h.ScramClient(hosts[1], "nurse", "nurse-password-1")
            .GetDatabase("clinic").RunCommandAsync<BsonDocument>(BsonDocument.Parse("{ find: 'patients', filter: {} }"), ReadPreference.Primary, Ct));

        Assert.Equal(10107, write.Code);
        Assert.Equal(13435, primaryRead.Code);
        Assert.Equal(4, replicated);
    }
}
