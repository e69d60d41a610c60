using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>hello/isMaster (doc section 2), ping, buildInfo, connectionStatus, endSessions, getLog, logout.</summary>
internal static class HandshakeCommands
{
    public static IEnumerable<CommandSpec> Specs()
    {
        foreach (var name in new[] { "hello", "isMaster", "ismaster" })
        {
            yield return new CommandSpec { Name = name, RequiresAuth = false, Handler = HelloAsync };
        }

        yield return new CommandSpec { Name = "ping", RequiresAuth = false, Handler = CommandSpec.Sync(_ => []) };
        yield return new CommandSpec { Name = "buildInfo", RequiresAuth = false, Handler = CommandSpec.Sync(BuildInfo) };
        yield return new CommandSpec { Name = "buildinfo", RequiresAuth = false, Handler = CommandSpec.Sync(BuildInfo) };
        yield return new CommandSpec { Name = "connectionStatus", RequiresAuth = false, Handler = CommandSpec.Sync(ConnectionStatus) };
        yield return new CommandSpec { Name = "endSessions", RequiresAuth = false, Handler = CommandSpec.Sync(_ => []) };
        yield return new CommandSpec { Name = "logout", RequiresAuth = false, Handler = CommandSpec.Sync(Logout) };
        yield return new CommandSpec
        {
            Name = "getLog",
            AdminOnly = true,
            ClusterAction = "getLog",
            Handler = CommandSpec.Sync(GetLog),
        };
    }

    // getLog (manual, reference/command/getLog): "*" lists the logs, "global" is the last 1024 lines with the count
    // ever written, "startupWarnings" the start-up warnings (none here); any other name is an error.
    private static BsonDocument GetLog(CommandContext ctx)
    {
        var name = ctx.Command["getLog"];
        switch (name is BsonString s ? s.Value : null)
        {
            case "*":
                return new BsonDocument("names", new BsonArray { "global", "startupWarnings" });
            case "global":
                var (total, lines) = ctx.State.GlobalLog.Snapshot();
                return new BsonDocument { { "totalLinesWritten", (int)Math.Min(total, int.MaxValue) }, { "log", new BsonArray(lines) } };
            case "startupWarnings":
                return new BsonDocument { { "totalLinesWritten", 0 }, { "log", new BsonArray() } };
            default:
                throw new CommandException(2, "no RamLog named: " + name);
        }
    }

    private static async Task<BsonDocument> HelloAsync(CommandContext ctx)
    {
        var cmd = ctx.Command;
        var hasTv = cmd.TryGetValue("topologyVersion", out var tv);
        var hasWait = cmd.TryGetValue("maxAwaitTimeMS", out var wait);
        if (hasTv != hasWait)
        {
            throw new CommandException(31368, "A request to wait for changes in topology must include both topologyVersion and maxAwaitTimeMS");
        }

        if (hasTv && tv is BsonDocument tvd && tvd.GetValue("counter", 0L).ToInt64() < 0)
        {
            throw new CommandException(31372, "topologyVersion must have a non-negative counter");
        }

        if (hasTv && tv is BsonDocument t && t.GetValue("processId", BsonNull.Value) == ctx.State.Topology.ProcessId)
        {
            // Awaitable hello: answer when the topology changes or when maxAwaitTimeMS passes, never at once.
            var ms = Math.Clamp(wait!.ToInt64(), 0, 600_000);
            await ctx.State.Topology.WaitForChangeAsync(t["counter"].ToInt64(), TimeSpan.FromMilliseconds(ms), ctx.Cancellation);
        }

        var reply = HelloReply.Build(ctx);
        await AuthCommands.SpeculateAsync(ctx, reply);
        reply["ok"] = 1.0;
        return reply;
    }

    private static BsonDocument BuildInfo(CommandContext ctx)
    {
        var p = ctx.State.Profile;
        var modules = p.Edition == Edition.Enterprise ? new BsonArray { "enterprise" } : [];
        var reply = new BsonDocument
        {
            { "version", p.Version },
            { "gitVersion", "0000000000000000000000000000000000000000" },
            { "modules", modules },
            { "allocator", "tcmalloc" },
            { "javascriptEngine", "mozjs" },
            { "sysInfo", "deprecated" },
            { "versionArray", new BsonArray(p.VersionArray) },
            { "openssl", new BsonDocument { { "running", "OpenSSL 3.0.13 30 Jan 2024" }, { "compiled", "OpenSSL 3.0.13 30 Jan 2024" } } },
            { "buildEnvironment", new BsonDocument { { "distmod", "ubuntu2204" }, { "target_os", "linux" }, { "target_arch", "x86_64" } } },
            { "bits", 64 },
            { "debug", false },
            { "maxBsonObjectSize", 16 * 1024 * 1024 },
            { "storageEngines", new BsonArray { "devnull", "wiredTiger" } },
        };
        if (p.Edition == Edition.Psmdb)
        {
            reply["psmdbVersion"] = p.Version + "-1";
        }

        return reply;
    }

    private static BsonDocument ConnectionStatus(CommandContext ctx)
    {
        var users = ctx.State.Users;
        var conn = ctx.Connection;
        var authInfo = new BsonDocument
        {
            { "authenticatedUsers", conn.UsersBson() },
            { "authenticatedUserRoles", new BsonArray(users.Closure(conn.Roles).Select(r => r.ToBson())) },
        };
        if (ctx.Command.GetValue("showPrivileges", false).ToBoolean())
        {
            authInfo["authenticatedUserPrivileges"] = new BsonArray(users.Privileges(conn.Roles).Select(p => p.ToBson()));
        }

        return new BsonDocument("authInfo", authInfo);
    }

    private static BsonDocument Logout(CommandContext ctx)
    {
        ctx.Connection.Users.RemoveAll(u => u.Db == ctx.Db);
        return [];
    }
}
