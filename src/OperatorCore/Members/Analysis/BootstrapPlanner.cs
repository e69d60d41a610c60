using HipaaMongo.Operator.Members.Bootstrap;
using HipaaMongo.Operator.Members.Connection;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// What bootstrap has seen of the set so far: the hellos as the operator, as the member certificate (before initiating)
/// and while waiting for a primary, the users and roles read on the primary, and one result per command run, in order.
/// Each step of <see cref="BootstrapPlanner.Next"/> adds one of these; nothing is ever taken away.
/// </summary>
public sealed record BootstrapObservation(ReplicaSetTarget Target, MemberExpectations Expected, bool HasMemberCertificate, bool RolesOnly = false)
{
    public IReadOnlyList<MemberHello>? AsOperator { get; init; }

    public IReadOnlyList<MemberHello>? AsMember { get; init; }

    /// <summary>The latest hellos (member certificate) read while waiting for a primary.</summary>
    public IReadOnlyList<MemberHello>? PrimaryPoll { get; init; }

    /// <summary>True once the wait for a primary (<see cref="BootstrapTiming.PrimaryWait"/>) passed without one.</summary>
    public bool PrimaryWaitOver { get; init; }

    public AccountsRead? Accounts { get; init; }

    /// <summary>One per command run, in the order run: null when acknowledged, else the member's reason.</summary>
    public IReadOnlyList<MemberFailure?> Results { get; init; } = [];
}

/// <summary>One command bootstrap runs: what it is (for the message), where, and the member error codes that count as done.</summary>
public sealed record BootstrapCommand(string What, string Database, BsonDocument Command, IReadOnlyList<int> DoneCodes)
{
    public MemberCommand ToMemberCommand() => new(Database, Command);
}

/// <summary>The next thing bootstrap does: finish with a result, read, wait for a primary, or run one command.</summary>
public abstract record BootstrapStep
{
    private BootstrapStep()
    {
    }

    public sealed record Finish(BootstrapResult Result) : BootstrapStep;

    /// <summary>hello on every member as <paramref name="Identity"/>; <paramref name="ForPrimary"/>: into <see cref="BootstrapObservation.PrimaryPoll"/>.</summary>
    public sealed record ReadHellos(MemberIdentity Identity, bool ForPrimary = false) : BootstrapStep;

    /// <summary>No primary yet: after the poll interval read the hellos again, or, when the wait is over, say so.</summary>
    public sealed record AwaitPrimary : BootstrapStep;

    public sealed record ReadAccounts(MemberTarget Member, MemberIdentity Identity) : BootstrapStep;

    /// <summary>Run <see cref="Planned"/>[<see cref="Index"/>] on <paramref name="Member"/> as <paramref name="Identity"/>; the rest follow, one per step.</summary>
    public sealed record Run(MemberTarget Member, MemberIdentity Identity, IReadOnlyList<BootstrapCommand> Planned, int Index) : BootstrapStep
    {
        public BootstrapCommand Command => Planned[Index];
    }
}

/// <summary>
/// Pure: bootstrap's decisions, asked again after every read and every command with what has been seen so far
/// (read, plan, run, read ...). The operator identity when its user exists on some member, otherwise (first start only)
/// the member certificate, which initiates the set with every member and creates the roles and users; on a set already
/// bootstrapped (<see cref="BootstrapObservation.RolesOnly"/>) only the operator's and verifier's roles brought to the render.
/// </summary>
public static class BootstrapPlanner
{
    /// <summary>createRole/createUser that an earlier, interrupted pass already made (the write reached the primary, the reply did not).</summary>
    public static readonly IReadOnlyList<int> AlreadyExists = [51002, 51003];

    private const string AsOperatorHow = "as the operator";
    private const string AsMemberHow = "with the member certificate";

    public static BootstrapStep Next(BootstrapObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        if (observation.RolesOnly)
        {
            return RolesNext(observation);
        }

        var target = observation.Target;
        if (target.Members.Count == 0)
        {
            return Finish(BootstrapState.Failed, "the replica set has no members to bootstrap");
        }

        if (observation.AsOperator is not { } asOperator)
        {
            return new BootstrapStep.ReadHellos(MemberIdentity.Operator);
        }

        if (asOperator.Any(h => h.Ok))
        {
            return WithOperator(observation, asOperator);
        }

        // The operator's user missing (first start, or dropped since) or refused: the member certificate creates it.
        if (FirstFatal(asOperator, OperatorUnknown) is { } fatal)
        {
            return Finish(BootstrapState.Failed, fatal);
        }

        if (asOperator.FirstOrDefault(h => h.Failure?.Kind == MemberFailureKind.Unreachable) is { } down
            && !asOperator.Any(h => OperatorUnknown(h.Failure)))
        {
            return Finish(BootstrapState.Waiting, $"no member reachable yet: {down.Failure}");
        }

        return WithMemberCertificate(observation);
    }

    // On a bootstrapped set: roles brought to the render as the operator on the primary; never initiates.
    private static BootstrapStep RolesNext(BootstrapObservation o)
    {
        if (o.AsOperator is not { } hellos)
        {
            return new BootstrapStep.ReadHellos(MemberIdentity.Operator);
        }
        var primary = hellos.FirstOrDefault(h => h.Ok && IsPrimary(h.Reply!));
        if (primary is null)
        {
            return Finish(BootstrapState.Waiting, $"replica set {o.Target.ReplicaSetName} has no primary the operator can reach");
        }
        return OnPrimary(o, primary.Member, MemberIdentity.Operator, "the operator's and verifier's roles grant what the render does");
    }

    // The operator user exists somewhere: from now on only the operator identity is used.
    private static BootstrapStep WithOperator(BootstrapObservation o, IReadOnlyList<MemberHello> hellos)
    {
        var name = o.Target.ReplicaSetName;
        if (FirstFatal(hellos, OperatorUnknown) is { } fatal)
        {
            return Finish(BootstrapState.Failed, fatal);
        }

        var answered = hellos.Where(h => h.Ok).ToList();
        if (answered.All(h => !Initiated(h.Reply!)))
        {
            return Finish(BootstrapState.Failed, $"the operator user exists but replica set {name} is not initiated; the operator role cannot initiate it");
        }

        if (WrongSet(answered, name) is { } wrong)
        {
            return Finish(BootstrapState.Failed, wrong);
        }

        var primary = answered.FirstOrDefault(h => IsPrimary(h.Reply!));
        if (primary is null)
        {
            return Finish(BootstrapState.Waiting, $"replica set {name} has no primary yet");
        }

        return OnPrimary(o, primary.Member, MemberIdentity.Operator, $"replica set {name} is initiated and its operator and verifier users exist");
    }

    // As the operator on the primary: read users and roles, then create or update what differs.
    private static BootstrapStep OnPrimary(BootstrapObservation o, MemberTarget primary, MemberIdentity identity, string alreadyDone)
    {
        if (o.Accounts is not { } accounts)
        {
            return new BootstrapStep.ReadAccounts(primary, identity);
        }
        if (accounts.Failure is { } readFailure)
        {
            return Finish(Waiting(readFailure) ? BootstrapState.Waiting : BootstrapState.Failed, $"cannot read users and roles: {readFailure}");
        }
        var commands = Missing(accounts, o.Expected);
        return commands.Count == 0
            ? Finish(BootstrapState.AlreadyDone, alreadyDone)
            : Creates(o.Results, primary, identity, commands, AsOperatorHow, []);
    }

    private static BootstrapStep WithMemberCertificate(BootstrapObservation o)
    {
        var target = o.Target;
        if (!o.HasMemberCertificate)
        {
            return Finish(BootstrapState.Failed, "the operator user does not exist yet and no member certificate was given to create it");
        }

        if (o.AsMember is not { } hellos)
        {
            return new BootstrapStep.ReadHellos(MemberIdentity.Member);
        }

        if (FirstFatal(hellos, _ => false) is { } fatal)
        {
            return Finish(BootstrapState.Failed, fatal);
        }

        if (hellos.FirstOrDefault(h => !h.Ok) is { } down)
        {
            return Finish(BootstrapState.Waiting, $"waiting for every member before initiating: {down.Failure}");
        }

        if (WrongSet(hellos, target.ReplicaSetName) is { } wrong)
        {
            return Finish(BootstrapState.Failed, wrong);
        }

        var done = new List<string>();
        var results = o.Results;
        if (!hellos.Any(h => Initiated(h.Reply!)))
        {
            if (results.Count == 0)
            {
                return new BootstrapStep.Run(target.Members[0], MemberIdentity.Member, [Initiate(target)], 0);
            }
            if (results[0] is { } refused)
            {
                return Finish(Waiting(refused) ? BootstrapState.Waiting : BootstrapState.Failed, $"replSetInitiate refused: {refused}");
            }

            done.Add($"initiated {target.ReplicaSetName} with {string.Join(", ", target.Members.Select(m => m.AdvertisedHost))}");
            results = [.. results.Skip(1)];
        }

        if (o.PrimaryPoll is not { } poll)
        {
            return new BootstrapStep.ReadHellos(MemberIdentity.Member, ForPrimary: true);
        }

        var primary = poll.FirstOrDefault(h => h.Ok && IsPrimary(h.Reply!));
        if (primary is null)
        {
            return o.PrimaryWaitOver
                ? Finish(BootstrapState.Waiting, string.Join("; ", done.Append($"replica set {target.ReplicaSetName} has no primary yet")))
                : new BootstrapStep.AwaitPrimary();
        }

        // An initiated set whose operator user went missing: only what is missing is created (read as __system).
        if (o.Accounts is not { } accounts)
        {
            return new BootstrapStep.ReadAccounts(primary.Member, MemberIdentity.Member);
        }
        var creates = accounts.Failure is null ? Missing(accounts, o.Expected) : AllCreates(o.Expected);
        return Creates(results, primary.Member, MemberIdentity.Member, creates, AsMemberHow, done);
    }

    // The next create to run, or the result once every one ran or one failed (51002/51003 count as done).
    private static BootstrapStep Creates(IReadOnlyList<MemberFailure?> results, MemberTarget member, MemberIdentity identity,
        IReadOnlyList<BootstrapCommand> commands, string how, IReadOnlyList<string> done)
    {
        var made = new List<string>();
        for (var i = 0; i < commands.Count; i++)
        {
            if (i >= results.Count)
            {
                return new BootstrapStep.Run(member, identity, commands, i);
            }
            var (what, verb) = (commands[i].What, Verb(commands[i]));
            if (results[i] is { } f && (f.Code is not { } code || !commands[i].DoneCodes.Contains(code)))
            {
                return Finish(Waiting(f) ? BootstrapState.Waiting : BootstrapState.Failed,
                    Joined(done, $"{(verb == "created" ? "creating" : "updating")} {what} failed: {f}"));
            }
            made.Add($"{verb} {what}");
        }
        return Finish(BootstrapState.Bootstrapped, Joined(done, $"{string.Join(", ", made)} {how}"));
    }

    private static string Joined(IReadOnlyList<string> done, string message) => string.Join("; ", done.Append(message));

    private static string Verb(BootstrapCommand command) => command.Command.Contains("updateRole") ? "updated" : "created";

    /// <summary>Every role and user bootstrap makes, in the order it makes them (roles before the users that hold them).</summary>
    public static IReadOnlyList<BootstrapCommand> AllCreates(MemberExpectations expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return
        [
            new($"role {expected.VerifierRole}", "admin", MemberRoles.VerifierRole(expected.VerifierRole, expected.Edition), AlreadyExists),
            new($"role {MemberRoles.OperatorRole}", "admin", MemberRoles.OperatorAdminRole(), AlreadyExists),
            new($"user {expected.VerifierUser}", "$external", MemberRoles.CreateX509User(expected.VerifierUser, expected.VerifierRole), AlreadyExists),
            new($"user {expected.OperatorUser}", "$external", MemberRoles.CreateX509User(expected.OperatorUser, MemberRoles.OperatorRole), AlreadyExists),
        ];
    }

    /// <summary>
    /// The creates still needed, and an updateRole for each role whose privileges differ from the render, judged by
    /// the rolesInfo (with privileges) and usersInfo replies read on the primary.
    /// </summary>
    public static IReadOnlyList<BootstrapCommand> Missing(AccountsRead accounts, MemberExpectations expected)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(expected);
        var haveRoles = (accounts.Roles?.GetValue("roles", BsonNull.Value) as BsonArray ?? []).OfType<BsonDocument>()
            .GroupBy(d => d.GetValue("role", "").ToString() ?? "").ToDictionary(g => g.Key, g => g.First());
        var haveUsers = Names(accounts.Users, "users", "user");
        var commands = new List<BootstrapCommand>();
        foreach (var create in AllCreates(expected))
        {
            var isRole = create.What.StartsWith("role ", StringComparison.Ordinal);
            if (isRole && haveRoles.TryGetValue(create.What[5..], out var found))
            {
                if (MemberRoles.UpdateToRender(create.Command, found) is { } update)
                {
                    commands.Add(create with { What = $"{create.What} (privileges brought to the render)", Command = update });
                }
            }
            else if (isRole || !haveUsers.Contains(create.What[5..]))
            {
                commands.Add(create);
            }
        }
        return commands;
    }

    /// <summary>replSetInitiate with every member by its DNS name, ordinal order.</summary>
    public static BootstrapCommand Initiate(ReplicaSetTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new("replSetInitiate", "admin", new BsonDocument("replSetInitiate", new BsonDocument
        {
            { "_id", target.ReplicaSetName },
            { "members", new BsonArray(target.Members.Select((m, i) => new BsonDocument { { "_id", i }, { "host", m.AdvertisedHost } })) },
        }), []);
    }

    private static BootstrapStep.Finish Finish(BootstrapState state, string message) => new(new BootstrapResult(state, message));

    /// <summary>A TLS failure, a refused command, or (unless tolerated) a refused authentication: retrying will not fix it.</summary>
    private static string? FirstFatal(IReadOnlyList<MemberHello> hellos, Func<MemberFailure, bool> tolerated) => hellos
        .Select(h => h.Failure)
        .FirstOrDefault(f => f is not null && f.Kind is not (MemberFailureKind.Unreachable or MemberFailureKind.Timeout) && !tolerated(f))?.Message;

    // The member does not know the operator: its user is missing, or authentication as it is refused.
    private static bool OperatorUnknown(MemberFailure? f) => f?.Kind is MemberFailureKind.UserMissing or MemberFailureKind.Authentication;

    /// <summary>A failure worth waiting for: no answer yet, or a member between states (not primary, not yet initiated, shutting down).</summary>
    public static bool Waiting(MemberFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return failure.Kind is MemberFailureKind.Unreachable or MemberFailureKind.Timeout || failure.Code is 10107 or 11600 or 13436 or 91 or 189;
    }

    private static bool Initiated(BsonDocument hello) => hello.Contains("setName");

    private static bool IsPrimary(BsonDocument hello) =>
        hello.GetValue("isWritablePrimary", hello.GetValue("ismaster", false)).ToBoolean();

    private static string? WrongSet(IEnumerable<MemberHello> hellos, string expected) => hellos
        .Where(h => h.Reply is { } r && Initiated(r) && r["setName"].ToString() != expected)
        .Select(h => $"{h.Member.PodName} belongs to replica set {h.Reply!["setName"]}, not {expected}")
        .FirstOrDefault();

    private static HashSet<string> Names(BsonDocument? reply, string array, string field) =>
        [.. (reply?.GetValue(array, BsonNull.Value) as BsonArray ?? []).OfType<BsonDocument>().Select(d => d.GetValue(field, "").ToString() ?? "")];
}
