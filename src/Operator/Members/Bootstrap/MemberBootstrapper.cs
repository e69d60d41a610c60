using HipaaMongo.Operator.Members.Connection;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Bootstrap;

/// <summary>
/// Initiates the set and creates the operator's and verifier's users over TLS, authenticated by certificate: the
/// operator identity when its user exists, otherwise (first start only) the member certificate, which mongod maps
/// to __system under x.509 cluster auth. No localhost exception, no exec.
/// </summary>
internal sealed class MemberBootstrapper(MemberSessions sessions, MemberClientOptions options, TimeProvider clock)
{
    public async Task<BootstrapResult> EnsureAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken ct)
    {
        if (target.Members.Count == 0)
        {
            return new(BootstrapState.Failed, "the replica set has no members to bootstrap");
        }

        var asOperator = await HelloAllAsync(target, MemberIdentity.Operator, credentials, ct).ConfigureAwait(false);
        if (asOperator.Any(h => h.Outcome.Ok))
        {
            return await WithOperatorAsync(target, expected, credentials, asOperator, ct).ConfigureAwait(false);
        }

        // The operator's user missing (first start, or dropped since) or refused: the member certificate creates it.
        if (FirstFatal(asOperator, OperatorUnknown) is { } fatal)
        {
            return new(BootstrapState.Failed, fatal);
        }

        if (asOperator.FirstOrDefault(h => h.Outcome.Failure?.Kind == MemberFailureKind.Unreachable) is { } down
            && !asOperator.Any(h => OperatorUnknown(h.Outcome.Failure)))
        {
            return new(BootstrapState.Waiting, $"no member reachable yet: {down.Outcome.Failure}");
        }

        return await WithMemberCertificateAsync(target, expected, credentials, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// On a set already bootstrapped: the operator's and verifier's roles brought to the render (updateRole where their
    /// privileges differ, as for a set bootstrapped by an older operator whose role lacked an action it now uses),
    /// and any missing role or user created, as the operator on the primary. Never initiates and never uses the
    /// member certificate. AlreadyDone when nothing differed (nothing written).
    /// </summary>
    public async Task<BootstrapResult> EnsureRolesAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken ct)
    {
        var hellos = await HelloAllAsync(target, MemberIdentity.Operator, credentials, ct).ConfigureAwait(false);
        var primary = hellos.FirstOrDefault(h => h.Outcome.Ok && IsPrimary(h.Outcome.Reply!));
        if (primary is null)
        {
            return new(BootstrapState.Waiting, $"replica set {target.ReplicaSetName} has no primary the operator can reach");
        }
        var session = sessions.Open(primary.Member, MemberIdentity.Operator, credentials)!;
        var missing = await MissingAsync(session, expected, ct).ConfigureAwait(false);
        if (missing.Failure is { } readFailure)
        {
            return new(Waiting(readFailure) ? BootstrapState.Waiting : BootstrapState.Failed, $"cannot read users and roles: {readFailure}");
        }
        return missing.Commands.Count == 0
            ? new(BootstrapState.AlreadyDone, "the operator's and verifier's roles grant what the render does")
            : await CreateAsync(session, missing.Commands, "as the operator", ct).ConfigureAwait(false);
    }

    // The operator user exists somewhere: from now on only the operator identity is used.
    private async Task<BootstrapResult> WithOperatorAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials,
        IReadOnlyList<Hello> hellos, CancellationToken ct)
    {
        if (FirstFatal(hellos, OperatorUnknown) is { } fatal)
        {
            return new(BootstrapState.Failed, fatal);
        }

        var answered = hellos.Where(h => h.Outcome.Ok).ToList();
        if (answered.All(h => !Initiated(h.Outcome.Reply!)))
        {
            return new(BootstrapState.Failed, $"the operator user exists but replica set {target.ReplicaSetName} is not initiated; the operator role cannot initiate it");
        }

        if (WrongSet(answered, target.ReplicaSetName) is { } wrong)
        {
            return new(BootstrapState.Failed, wrong);
        }

        var primary = answered.FirstOrDefault(h => IsPrimary(h.Outcome.Reply!));
        if (primary is null)
        {
            return new(BootstrapState.Waiting, $"replica set {target.ReplicaSetName} has no primary yet");
        }

        var session = sessions.Open(primary.Member, MemberIdentity.Operator, credentials)!;
        var missing = await MissingAsync(session, expected, ct).ConfigureAwait(false);
        if (missing.Failure is { } readFailure)
        {
            return new(Waiting(readFailure) ? BootstrapState.Waiting : BootstrapState.Failed, $"cannot read users and roles: {readFailure}");
        }

        if (missing.Commands.Count == 0)
        {
            return new(BootstrapState.AlreadyDone, $"replica set {target.ReplicaSetName} is initiated and its operator and verifier users exist");
        }

        return await CreateAsync(session, missing.Commands, "as the operator", ct).ConfigureAwait(false);
    }

    private async Task<BootstrapResult> WithMemberCertificateAsync(ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials, CancellationToken ct)
    {
        if (credentials.Member is null)
        {
            return new(BootstrapState.Failed, "the operator user does not exist yet and no member certificate was given to create it");
        }

        var hellos = await HelloAllAsync(target, MemberIdentity.Member, credentials, ct).ConfigureAwait(false);
        if (FirstFatal(hellos, _ => false) is { } fatal)
        {
            return new(BootstrapState.Failed, fatal);
        }

        if (hellos.FirstOrDefault(h => !h.Outcome.Ok) is { } down)
        {
            return new(BootstrapState.Waiting, $"waiting for every member before initiating: {down.Outcome.Failure}");
        }

        if (WrongSet(hellos, target.ReplicaSetName) is { } wrong)
        {
            return new(BootstrapState.Failed, wrong);
        }

        var done = new List<string>();
        if (!hellos.Any(h => Initiated(h.Outcome.Reply!)))
        {
            var initiate = await sessions.Open(target.Members[0], MemberIdentity.Member, credentials)!
                .AdminAsync(InitiateCommand(target), ct).ConfigureAwait(false);
            if (initiate.Failure is { } refused)
            {
                return new(Waiting(refused) ? BootstrapState.Waiting : BootstrapState.Failed, $"replSetInitiate refused: {refused}");
            }

            done.Add($"initiated {target.ReplicaSetName} with {string.Join(", ", target.Members.Select(m => m.AdvertisedHost))}");
        }

        var primary = await WaitForPrimaryAsync(target, credentials, ct).ConfigureAwait(false);
        if (primary is null)
        {
            return new(BootstrapState.Waiting, $"{string.Join("; ", done.Append($"replica set {target.ReplicaSetName} has no primary yet"))}");
        }

        // An initiated set whose operator user went missing: only what is missing is created (read as __system).
        var session = sessions.Open(primary, MemberIdentity.Member, credentials)!;
        var missing = await MissingAsync(session, expected, ct).ConfigureAwait(false);
        var creates = missing.Failure is null ? missing.Commands : AllCreates(expected);
        var result = await CreateAsync(session, creates, "with the member certificate", ct).ConfigureAwait(false);
        return result with { Message = string.Join("; ", done.Append(result.Message)) };
    }

    private static IReadOnlyList<(string What, string Db, BsonDocument Command)> AllCreates(MemberExpectations expected) =>
    [
        ($"role {expected.VerifierRole}", "admin", MemberRoles.VerifierRole(expected.VerifierRole, expected.Edition)),
        ($"role {MemberRoles.OperatorRole}", "admin", MemberRoles.OperatorAdminRole()),
        ($"user {expected.VerifierUser}", "$external", MemberRoles.CreateX509User(expected.VerifierUser, expected.VerifierRole)),
        ($"user {expected.OperatorUser}", "$external", MemberRoles.CreateX509User(expected.OperatorUser, MemberRoles.OperatorRole)),
    ];

    /// <summary>
    /// The creates still needed, and an updateRole for each role whose privileges differ from the render, judged by
    /// rolesInfo (with privileges) and usersInfo on the primary (read only).
    /// </summary>
    private static async Task<(IReadOnlyList<(string What, string Db, BsonDocument Command)> Commands, MemberFailure? Failure)> MissingAsync(
        MemberSession session, MemberExpectations expected, CancellationToken ct)
    {
        var roles = await session.AdminAsync(new BsonDocument
        {
            { "rolesInfo", new BsonArray { Ref("role", expected.VerifierRole, "admin"), Ref("role", MemberRoles.OperatorRole, "admin") } },
            { "showPrivileges", true },
        }, ct).ConfigureAwait(false);
        var users = await session.AdminAsync(new BsonDocument
        {
            { "usersInfo", new BsonArray { Ref("user", expected.VerifierUser, "$external"), Ref("user", expected.OperatorUser, "$external") } },
        }, ct).ConfigureAwait(false);
        if ((roles.Failure ?? users.Failure) is { } failure)
        {
            return ([], failure);
        }

        var haveRoles = (roles.Reply!.GetValue("roles", BsonNull.Value) as BsonArray ?? []).OfType<BsonDocument>()
            .GroupBy(d => d.GetValue("role", "").ToString() ?? "").ToDictionary(g => g.Key, g => g.First());
        var haveUsers = Names(users.Reply!, "users", "user");
        var commands = new List<(string What, string Db, BsonDocument Command)>();
        foreach (var create in AllCreates(expected))
        {
            var isRole = create.What.StartsWith("role ", StringComparison.Ordinal);
            if (isRole && haveRoles.TryGetValue(create.What[5..], out var found))
            {
                if (MemberRoles.UpdateToRender(create.Command, found) is { } update)
                {
                    commands.Add(($"{create.What} (privileges brought to the render)", create.Db, update));
                }
            }
            else if (isRole || !haveUsers.Contains(create.What[5..]))
            {
                commands.Add(create);
            }
        }
        return (commands, null);
    }

    private static async Task<BootstrapResult> CreateAsync(MemberSession session, IReadOnlyList<(string What, string Db, BsonDocument Command)> creates, string how, CancellationToken ct)
    {
        var created = new List<string>();
        foreach (var (what, db, command) in creates)
        {
            var verb = command.Contains("updateRole") ? "updated" : "created";
            var outcome = await session.RunAsync(db, command, ct).ConfigureAwait(false);
            // 51002/51003: created by an earlier, interrupted pass (the write reached the primary, the reply did not).
            if (outcome.Failure is { } f && f.Code is not (51002 or 51003))
            {
                return new(Waiting(f) ? BootstrapState.Waiting : BootstrapState.Failed, $"{(verb == "created" ? "creating" : "updating")} {what} failed: {f}");
            }

            created.Add($"{verb} {what}");
        }

        return new(BootstrapState.Bootstrapped, $"{string.Join(", ", created)} {how}");
    }

    private async Task<MemberTarget?> WaitForPrimaryAsync(ReplicaSetTarget target, MemberCredentials credentials, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + options.PrimaryWait;
        while (true)
        {
            var hellos = await HelloAllAsync(target, MemberIdentity.Member, credentials, ct).ConfigureAwait(false);
            if (hellos.FirstOrDefault(h => h.Outcome.Ok && IsPrimary(h.Outcome.Reply!)) is { } p)
            {
                return p.Member;
            }

            if (clock.GetUtcNow() >= deadline)
            {
                return null;
            }

            await Task.Delay(options.PollInterval, clock, ct).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<Hello>> HelloAllAsync(ReplicaSetTarget target, MemberIdentity identity, MemberCredentials credentials, CancellationToken ct)
    {
        var tasks = target.Members.Select(async m =>
            new Hello(m, await sessions.Open(m, identity, credentials)!.AdminAsync(new BsonDocument("hello", 1), ct).ConfigureAwait(false)));
        return await Task.WhenAll(tasks).ConfigureAwait(false);
    }

    private static BsonDocument InitiateCommand(ReplicaSetTarget target) => new("replSetInitiate", new BsonDocument
    {
        { "_id", target.ReplicaSetName },
        { "members", new BsonArray(target.Members.Select((m, i) => new BsonDocument { { "_id", i }, { "host", m.AdvertisedHost } })) },
    });

    /// <summary>A TLS failure, a refused command, or (unless tolerated) a refused authentication: retrying will not fix it.</summary>
    private static string? FirstFatal(IReadOnlyList<Hello> hellos, Func<MemberFailure, bool> tolerated) => hellos
        .Select(h => h.Outcome.Failure)
        .FirstOrDefault(f => f is not null && f.Kind is not (MemberFailureKind.Unreachable or MemberFailureKind.Timeout) && !tolerated(f))?.Message;

    // The member does not know the operator: its user is missing, or authentication as it is refused.
    private static bool OperatorUnknown(MemberFailure? f) => f?.Kind is MemberFailureKind.UserMissing or MemberFailureKind.Authentication;

    private static bool Waiting(MemberFailure f) => f.Kind is MemberFailureKind.Unreachable or MemberFailureKind.Timeout || f.Code is 10107 or 11600 or 13436 or 91 or 189;

    private static bool Initiated(BsonDocument hello) => hello.Contains("setName");

    private static bool IsPrimary(BsonDocument hello) =>
        hello.GetValue("isWritablePrimary", hello.GetValue("ismaster", false)).ToBoolean();

    private static string? WrongSet(IEnumerable<Hello> hellos, string expected) => hellos
        .Where(h => h.Outcome.Reply is { } r && Initiated(r) && r["setName"].ToString() != expected)
        .Select(h => $"{h.Member.PodName} belongs to replica set {h.Outcome.Reply!["setName"]}, not {expected}")
        .FirstOrDefault();

    private static HashSet<string> Names(BsonDocument reply, string array, string field) =>
        [.. (reply.GetValue(array, BsonNull.Value) as BsonArray ?? []).OfType<BsonDocument>().Select(d => d.GetValue(field, "").ToString() ?? "")];

    private static BsonDocument Ref(string kind, string name, string db) => new() { { kind, name }, { "db", db } };

    private sealed record Hello(MemberTarget Member, CommandOutcome Outcome);
}
