using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>What a command handler sees: the server, the connection, the request.</summary>
public sealed class CommandContext
{
    public required ServerState State { get; init; }

    public required ConnectionContext Connection { get; init; }

    public required BsonDocument Command { get; init; }

    public required string Db { get; init; }

    public required string Name { get; init; }

    public bool Legacy { get; init; }

    public CancellationToken Cancellation { get; init; }

    /// <summary>The command's first value (e.g. the config in {replSetInitiate: {...}}).</summary>
    public BsonValue Argument => Command[0];

    public void AuditEvent(string atype, BsonDocument param, int result = 0) =>
        State.Audit.Write(atype, Connection.Local, Connection.Remote, Connection.UsersBson(), Connection.RolesBson(), param, result);
}

/// <summary>How a command is dispatched: name, admin-only, authentication, privilege, editions, handler.</summary>
public sealed class CommandSpec
{
    public required string Name { get; init; }

    public bool AdminOnly { get; init; }

    public bool RequiresAuth { get; init; } = true;

    /// <summary>Cluster action required, checked against the connection's roles (null = none).</summary>
    public string? ClusterAction { get; init; }

    /// <summary>Custom check for commands whose privilege depends on arguments; throws CommandException 13.</summary>
    public Action<CommandContext>? Authorize { get; init; }

    /// <summary>Usable without authentication while the localhost exception is open.</summary>
    public bool LocalhostException { get; init; }

    /// <summary>Fails with NotWritablePrimary off-primary.</summary>
    public bool PrimaryOnly { get; init; }

    public Func<Config.SimulatorProfile, bool> Available { get; init; } = _ => true;

    public required Func<CommandContext, Task<BsonDocument>> Handler { get; init; }

    public static Func<CommandContext, Task<BsonDocument>> Sync(Func<CommandContext, BsonDocument> f) => c => Task.FromResult(f(c));
}
