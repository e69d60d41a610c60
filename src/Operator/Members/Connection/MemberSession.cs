using MongoDB.Bson;
using MongoDB.Driver;

namespace HipaaMongo.Operator.Members.Connection;

/// <summary>Commands on one member as one identity; every outcome is a value, never an exception (bar cancellation).</summary>
/// <param name="client">The pooled client of this member and identity (a new one after <paramref name="evict"/>).</param>
/// <param name="evict">Forgets a pooled client, so the next one authenticates afresh.</param>
internal sealed class MemberSession(Func<PooledClient> client, string endpoint, Action<PooledClient> evict)
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
            var reply = await _pooled.Client.GetDatabase(database)
                .RunCommandAsync<BsonDocument>(command, ReadPreference.PrimaryPreferred, ct).ConfigureAwait(false);
            return new CommandOutcome(reply, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is not OutOfMemoryException)
        {
            return new CommandOutcome(null, MemberErrors.Classify(e, Endpoint, Subject, _pooled.Verdict));
        }
    }
}
