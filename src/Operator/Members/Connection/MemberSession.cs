using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Members.Connection;

/// <summary>Commands on one member as one identity; every outcome is a value, never an exception (bar cancellation).</summary>
/// <param name="client">The pooled client of this member and identity (a new one after <paramref name="evict"/>).</param>
/// <param name="evict">Forgets a pooled client, so the next one authenticates afresh.</param>
/// <param name="deadline">The most one command may take; past it the member counts as not answering.</param>
internal sealed class MemberSession(Func<PooledClient> client, string endpoint, Action<PooledClient> evict, TimeSpan deadline)
{
    // mongod's error code for a command on a connection with no authenticated user (src/mongo/base/error_codes.yml).
    private const int Unauthorized = 13;

    private PooledClient _pooled = client();

    // Once the member refused this identity, every later command of this session has that answer.
    private MemberFailure? _refusal;

    public string Endpoint { get; } = endpoint;

    public string Subject => _pooled.Subject;

    public Task<CommandOutcome> AdminAsync(BsonDocument command, CancellationToken ct) => RunAsync("admin", command, ct);

    public async Task<CommandOutcome> RunAsync(string database, BsonDocument command, CancellationToken ct)
    {
        if (_refusal is { } refusal)
        {
            return new CommandOutcome(null, refusal);
        }

        var outcome = await TryAsync(database, command, ct).ConfigureAwait(false);
        if (outcome.Failure is { Code: Unauthorized } f && f.Message.Contains("requires authentication", StringComparison.Ordinal))
        {
            // mongod removes a user dropped since this connection authenticated from the session before each command
            // (AuthorizationSessionImpl::_refreshUserInfoAsNeeded): authenticating again asks the member who we are.
            Forget();
            outcome = await TryAsync(database, command, ct).ConfigureAwait(false);
        }

        if (outcome.Failure is { IdentityRefused: true } refused)
        {
            // The driver keeps a member that refused authentication as Unknown until its next heartbeat (10 s), so a
            // user created again would still time out: the next session starts with a fresh client.
            _refusal = refused;
            evict(_pooled);
        }

        return outcome;
    }

    private void Forget()
    {
        evict(_pooled);
        _pooled = client();
    }

    private async Task<CommandOutcome> TryAsync(string database, BsonDocument command, CancellationToken ct)
    {
        try
        {
            var reply = await Bounded(_pooled.Client.GetDatabase(database), command, ct).ConfigureAwait(false);
            return new CommandOutcome(reply, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not OutOfMemoryException)
        {
            return new CommandOutcome(null, MemberErrors.Classify(e, Endpoint, Subject, _pooled.Verdict));
        }
    }

    // The linked token asks the driver to stop at the deadline; WaitAsync ends the wait even where the driver does not
    // listen. The token's source lives until the command itself ends (disposing it under the driver would be unsafe),
    // and that end observes any late failure of a command no one waits for any more.
    private Task<BsonDocument> Bounded(IMongoDatabase db, BsonDocument command, CancellationToken ct)
    {
        var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(deadline);
        var run = db.RunCommandAsync<BsonDocument>(command, ReadPreference.PrimaryPreferred, bounded.Token);
        _ = run.ContinueWith(static (t, source) =>
        {
            _ = t.Exception;
            ((IDisposable)source!).Dispose();
        }, bounded, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return run.WaitAsync(deadline, ct);
    }
}
