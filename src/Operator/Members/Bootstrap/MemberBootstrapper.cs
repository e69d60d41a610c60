using HipaaMongo.Operator.Members.Connection;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Bootstrap;

/// <summary>
/// Bootstrap's reads and writes over TLS, authenticated by certificate as the identity it is told: the operator, or
/// (first start only) the member certificate, which mongod maps to __system under x.509 cluster auth. No localhost
/// exception, no exec. It reads (hello, users and roles) and runs the one command it is given; what to read and run
/// next, and what the answers mean, is decided by Analysis.BootstrapPlanner.
/// </summary>
internal sealed class MemberBootstrapper(MemberSessions sessions)
{
    public async Task<IReadOnlyList<MemberHello>> HelloAsync(ReplicaSetTarget target, MemberIdentity identity, MemberCredentials credentials, CancellationToken ct)
    {
        var tasks = target.Members.Select(async m =>
        {
            var outcome = await sessions.Open(m, identity, credentials)!.AdminAsync(new BsonDocument("hello", 1), ct).ConfigureAwait(false);
            return new MemberHello(m, outcome.Reply, outcome.Failure);
        });
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    /// <summary>rolesInfo (with privileges) and usersInfo for the rendered roles and users (read only).</summary>
    public async Task<AccountsRead> ReadAccountsAsync(MemberTarget member, MemberIdentity identity, MemberExpectations expected, MemberCredentials credentials,
        CancellationToken ct)
    {
        var session = sessions.Open(member, identity, credentials)!;
        var roles = await session.AdminAsync(new BsonDocument
        {
            { "rolesInfo", new BsonArray { Ref("role", expected.VerifierRole, "admin"), Ref("role", MemberRoles.OperatorRole, "admin") } },
            { "showPrivileges", true },
        }, ct).ConfigureAwait(false);
        var users = await session.AdminAsync(new BsonDocument
        {
            { "usersInfo", new BsonArray { Ref("user", expected.VerifierUser, "$external"), Ref("user", expected.OperatorUser, "$external") } },
        }, ct).ConfigureAwait(false);
        return new AccountsRead(roles.Reply, users.Reply, roles.Failure ?? users.Failure);
    }

    public async Task<MemberFailure?> RunAsync(MemberTarget member, MemberIdentity identity, MemberCommand command, MemberCredentials credentials, CancellationToken ct)
    {
        var outcome = await sessions.Open(member, identity, credentials)!.RunAsync(command.Database, command.Command, ct).ConfigureAwait(false);
        return outcome.Failure;
    }

    private static BsonDocument Ref(string kind, string name, string db) => new() { { kind, name }, { "db", db } };
}
