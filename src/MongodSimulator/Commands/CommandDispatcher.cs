using System.Text;
using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// Dispatch in mongod's order (doc section 4): unknown name 59, admin-only 13, authentication 13, privilege 13,
/// member state, run. Replies on replica-set members carry $clusterTime and operationTime.
/// </summary>
public static class CommandDispatcher
{
    private static readonly string[] Sensitive = ["pwd", "payload", "password", "digestPassword"];
    private static readonly Dictionary<string, CommandSpec> Specs = BuildSpecs();

    public static async Task<BsonDocument> RunAsync(CommandContext ctx)
    {
        BsonDocument reply;
        try
        {
            reply = await RunCheckedAsync(ctx);
        }
        catch (CommandException e)
        {
            reply = e.ToReply();
        }

        AddClusterTime(ctx, reply);
        return reply;
    }

    private static async Task<BsonDocument> RunCheckedAsync(CommandContext ctx)
    {
        if (!Specs.TryGetValue(ctx.Name, out var spec) || !spec.Available(ctx.State.Profile))
        {
            throw new CommandException(ErrorCodes.CommandNotFound, $"no such command: '{ctx.Name}'");
        }

        if (spec.AdminOnly && ctx.Db != "admin")
        {
            throw new CommandException(ErrorCodes.Unauthorized, $"{ctx.Name} may only be run against the admin database.");
        }

        await CheckAccessAsync(ctx, spec);
        if (spec.PrimaryOnly && ctx.State.Repl.SetName is not null && !ctx.State.Repl.IsPrimary)
        {
            throw ctx.State.Repl.NotPrimary("not primary");
        }

        // A write and its replication happen before a handler's first await: they run under the member's write gate,
        // so a peer cloning this member sees both or neither (ReplState.CloneFrom).
        Task<BsonDocument> handled;
        lock (ctx.State.Repl.WriteGate)
        {
            handled = spec.Handler(ctx);
        }

        var reply = await handled;
        if (!reply.Contains("ok"))
        {
            reply["ok"] = 1.0;
        }

        return reply;
    }

    private static async Task CheckAccessAsync(CommandContext ctx, CommandSpec spec)
    {
        var state = ctx.State;
        if (!state.AuthorizationEnabled)
        {
            return;
        }

        // mongod refreshes the session's users before every command (AuthorizationSession::startRequest), also
        // before those that need no authentication, such as connectionStatus.
        await RefreshUsersAsync(ctx);
        if (!spec.RequiresAuth)
        {
            return;
        }
        if (!ctx.Connection.IsAuthenticated)
        {
            if (spec.LocalhostException && state.LocalhostExceptionOpen && ctx.Connection.IsLoopback)
            {
                return;
            }

            throw new CommandException(ErrorCodes.Unauthorized, $"Command {ctx.Name} requires authentication");
        }

        var allowed = true;
        if (spec.ClusterAction is { } action)
        {
            allowed = state.Users.IsAuthorized(ctx.Connection.Roles, ResourcePattern.ClusterResource, action);
        }

        if (allowed && spec.Authorize is { } custom)
        {
            try
            {
                custom(ctx);
            }
            catch (CommandException) when (Audit(ctx, false))
            {
                throw;
            }
        }

        if (!allowed)
        {
            Audit(ctx, false);
            throw NotAuthorized(ctx);
        }

        if (state.Parameters.Contains("auditAuthorizationSuccess") && state.Parameters.GetBool("auditAuthorizationSuccess"))
        {
            Audit(ctx, true);
        }
    }

    /// <summary>
    /// As mongod's AuthorizationSessionImpl::_refreshUserInfoAsNeeded before each command: a stored user that no
    /// longer exists is removed from the session ("Removed deleted user from session cache of user information"), so
    /// the command then needs authentication; one that still exists gets its current roles. A directory user gets the
    /// roles of its groups as mongod's LDAP user cache has them (PlainLdap.RefreshAsync).
    /// </summary>
    private static async Task RefreshUsersAsync(CommandContext ctx)
    {
        var users = ctx.Connection.Users;
        for (var i = users.Count - 1; i >= 0; i--)
        {
            if (users[i].Ldap)
            {
                users[i] = await PlainLdap.RefreshAsync(ctx, users[i]);
                continue;
            }
            if (!users[i].Stored)
            {
                continue;
            }

            var current = ctx.State.Users.FindUser(users[i].Db, users[i].User);
            if (current is null)
            {
                users.RemoveAt(i);
            }
            else
            {
                users[i] = users[i] with { Roles = [.. current.Roles] };
            }
        }
    }

    public static CommandException NotAuthorized(CommandContext ctx) =>
        new(ErrorCodes.Unauthorized, $"not authorized on {ctx.Db} to execute command {Render(ctx.Command)}");

    /// <summary>Writes an authCheck audit event; returns false so it can sit in an exception filter.</summary>
    private static bool Audit(CommandContext ctx, bool success)
    {
        ctx.AuditEvent("authCheck", new BsonDocument
        {
            { "command", ctx.Name },
            { "ns", ctx.Argument is BsonString coll && CrudSupport.CollectionCommands.Contains(ctx.Name) ? $"{ctx.Db}.{coll.Value}" : ctx.Db },
            { "args", Redact(ctx.Command) },
        }, success ? 0 : ErrorCodes.Unauthorized);
        return false;
    }

    private static BsonDocument Redact(BsonDocument cmd)
    {
        var copy = cmd.DeepClone().AsBsonDocument;
        foreach (var s in Sensitive.Where(copy.Contains))
        {
            copy[s] = "xxx";
        }

        return copy;
    }

    /// <summary>The command body as mongod prints it in the Unauthorized message, sensitive fields as "xxx".</summary>
    private static string Render(BsonDocument cmd)
    {
        var sb = new StringBuilder("{ ");
        sb.AppendJoin(", ", Redact(cmd).Select(e => $"{e.Name}: {RenderValue(e.Value)}"));
        return sb.Append(" }").ToString();
    }

    private static string RenderValue(BsonValue v) => v switch
    {
        BsonString s => $"\"{s.Value}\"",
        BsonDocument d => Render(d),
        BsonBoolean b => b.Value ? "true" : "false",
        _ => v.ToString() ?? "",
    };

    private static void AddClusterTime(CommandContext ctx, BsonDocument reply)
    {
        if (ctx.State.Repl.SetName is null)
        {
            return;
        }

        var now = new BsonTimestamp((int)ctx.State.Clock.GetUtcNow().ToUnixTimeSeconds(), 1);
        reply["$clusterTime"] = new BsonDocument
        {
            { "clusterTime", now },
            { "signature", new BsonDocument { { "hash", new BsonBinaryData(new byte[20]) }, { "keyId", 0L } } },
        };
        reply["operationTime"] = now;
    }

    private static Dictionary<string, CommandSpec> BuildSpecs()
    {
        var all = HandshakeCommands.Specs()
            .Concat(AuthCommands.Specs())
            .Concat(ParameterCommands.Specs())
            .Concat(StatusCommands.Specs())
            .Concat(ReplCommands.Specs())
            .Concat(FcvCommands.Specs())
            .Concat(UserCommands.Specs())
            .Concat(RoleAdminCommands.Specs())
            .Concat(MiscCommands.Specs())
            .Concat(DatabaseCommands.Specs())
            .Concat(WriteCommands.Specs())
            .Concat(QueryCommands.Specs())
            .Concat(CollectionCommands.Specs());
        return all.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }
}
