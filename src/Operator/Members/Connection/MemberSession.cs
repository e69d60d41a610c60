using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Members.Connection;

/// <summary>Commands on one member as one identity; every outcome is a value, never an exception (bar cancellation).</summary>
internal sealed class MemberSession(PooledClient pooled, string endpoint)
{
    public string Endpoint { get; } = endpoint;

    public string Subject => pooled.Subject;

    public Task<CommandOutcome> AdminAsync(BsonDocument command, CancellationToken ct) => RunAsync("admin", command, ct);

    public async Task<CommandOutcome> RunAsync(string database, BsonDocument command, CancellationToken ct)
    {
        try
        {
            var reply = await pooled.Client.GetDatabase(database)
                .RunCommandAsync<BsonDocument>(command, ReadPreference.PrimaryPreferred, ct).ConfigureAwait(false);
            return new CommandOutcome(reply, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not OutOfMemoryException)
        {
            return new CommandOutcome(null, MemberErrors.Classify(e, Endpoint, Subject, pooled.Verdict));
        }
    }
}
