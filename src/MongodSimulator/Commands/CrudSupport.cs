using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// What every data command shares: its namespace, the privilege check for an action on the command's collection
/// resource (mongod's find/insert/update/remove/... actions; a privilege on {db: "x", collection: ""} covers every
/// normal collection of x, one on {db: "x", collection: "c"} only c), and the member-state checks for reads.
/// </summary>
internal static class CrudSupport
{
    public static readonly HashSet<string> CollectionCommands = new(StringComparer.Ordinal)
    {
        "insert", "find", "update", "delete", "count", "aggregate", "create", "drop", "getMore", "killCursors",
    };

    public static string Collection(CommandContext ctx)
    {
        var name = ctx.Argument is BsonString s ? s.Value : "";
        if (name.Length == 0 || name.Contains('$', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new CommandException(73, $"Invalid namespace specified '{ctx.Db}.{name}'");
        }

        return name;
    }

    public static string Ns(CommandContext ctx) => $"{ctx.Db}.{Collection(ctx)}";

    /// <summary>Authorize hook: every action must be granted on the command's collection ({db, collection}).</summary>
    public static Action<CommandContext> Requires(params string[] actions) => RequiresOn(ctx => ResourcePattern.Namespace(ctx.Db, Collection(ctx)), actions);

    /// <summary>Authorize hook: every action must be granted on the database resource (dropDatabase, listCollections).</summary>
    public static Action<CommandContext> RequiresOnDatabase(params string[] actions) => RequiresOn(ctx => ResourcePattern.Database(ctx.Db), actions);

    private static Action<CommandContext> RequiresOn(Func<CommandContext, ResourcePattern> resource, string[] actions) => ctx =>
    {
        var roles = ctx.Connection.Roles.ToList();
        var target = resource(ctx);
        if (!actions.All(a => ctx.State.Users.IsAuthorized(roles, target, a)))
        {
            throw CommandDispatcher.NotAuthorized(ctx);
        }
    };

    /// <summary>The users a cursor belongs to, so only they can continue or kill it.</summary>
    public static string Owner(CommandContext ctx) => ctx.Connection.UsersBson().ToJson();

    /// <summary>
    /// Reads on a replica-set member: a primary always; a secondary only when the read preference allows it
    /// (NotPrimaryNoSecondaryOk 13435); a member in STARTUP, STARTUP2 or RECOVERING never (NotPrimaryOrSecondary 13436).
    /// </summary>
    public static void RequireReadable(CommandContext ctx)
    {
        var repl = ctx.State.Repl;
        if (repl.SetName is null || repl.IsPrimary)
        {
            return;
        }

        if (repl.State != MemberState.Secondary)
        {
            throw new CommandException(13436, "node is not in primary or recovering state");
        }

        var mode = (ctx.Command.GetValue("$readPreference", BsonNull.Value) as BsonDocument)?.GetValue("mode", "primary").AsString ?? "primary";
        if (mode == "primary")
        {
            throw new CommandException(ErrorCodes.NotPrimaryNoSecondaryOk, "not primary and secondaryOk=false");
        }
    }

    /// <summary>
    /// The documents a read sees, by its read concern (the command's readConcern.level, else setDefaultRWConcern's
    /// defaultReadConcern, else "local", the manual's default for reads on a primary and on secondaries):
    /// "majority" (and "linearizable", which reads majority-committed data on the primary) reads the member's
    /// majority-committed view, so a write that has not reached a majority is not seen even on the primary that took
    /// it; "local" and "available" read everything the member has applied (manual "Read Concern", levels "local",
    /// "available", "majority", "linearizable"). A standalone has no commit point and reads its data at every level.
    /// </summary>
    public static Data.DataStore ReadStore(CommandContext ctx)
    {
        var level = (ctx.Command.GetValue("readConcern", BsonNull.Value) as BsonDocument)?.GetValue("level", BsonNull.Value) as BsonString
            ?? (ctx.State.DefaultRWConcern?.GetValue("defaultReadConcern", BsonNull.Value) as BsonDocument)?.GetValue("level", BsonNull.Value) as BsonString;
        var repl = ctx.State.Repl;
        return level?.Value is "majority" or "linearizable" && repl.SetName is not null && repl.Config is not null ? repl.CommittedData : ctx.State.Data;
    }

    /// <summary>Writes to system collections go through their own commands (createUser, ...), never CRUD.</summary>
    public static void RequireUserCollection(CommandContext ctx)
    {
        if (Collection(ctx).StartsWith("system.", StringComparison.Ordinal) || ctx.Db is "local" or "config")
        {
            throw new CommandException(ErrorCodes.Unauthorized, $"not authorized on {ctx.Db} to execute command {{ {ctx.Name}: \"{Collection(ctx)}\" }}");
        }
    }

    public static int BatchSize(BsonValue v, int fallback) => v.IsNumeric ? v.ToInt32() : fallback;
}
