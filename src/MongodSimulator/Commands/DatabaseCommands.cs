using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// listDatabases (manual, reference/command/listDatabases): admin only; {databases: [{name, sizeOnDisk, empty}],
/// totalSize, totalSizeMb, ok}, or {databases: [{name}], ok} with nameOnly. The listDatabases action on the cluster
/// lists every database; without it (authorizedDatabases unset or true) only the databases the user holds some
/// privilege on, and authorizedDatabases false then fails with 13. The filter option is not simulated.
/// </summary>
internal static class DatabaseCommands
{
    private const long SizeOnDisk = 8192;

    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec { Name = "listDatabases", AdminOnly = true, Handler = CommandSpec.Sync(ListDatabases) };
    }

    private static BsonDocument ListDatabases(CommandContext ctx)
    {
        var names = Visible(ctx);
        if (ctx.Command.GetValue("nameOnly", false).ToBoolean())
        {
            return new BsonDocument("databases", new BsonArray(names.Select(n => new BsonDocument("name", n))));
        }

        return new BsonDocument
        {
            { "databases", new BsonArray(names.Select(n => new BsonDocument { { "name", n }, { "sizeOnDisk", SizeOnDisk }, { "empty", false } })) },
            { "totalSize", SizeOnDisk * names.Count },
            { "totalSizeMb", SizeOnDisk * names.Count / (1024 * 1024) },
        };
    }

    private static List<string> Visible(CommandContext ctx)
    {
        var state = ctx.State;
        var all = state.Databases.Order(StringComparer.Ordinal).ToList();
        if (!state.AuthorizationEnabled)
        {
            return all;
        }

        var roles = ctx.Connection.Roles.ToList();
        var authorizedOnly = ctx.Command.GetValue("authorizedDatabases", BsonNull.Value);
        if (authorizedOnly is not BsonBoolean { Value: true } && state.Users.IsAuthorized(roles, ResourcePattern.ClusterResource, "listDatabases"))
        {
            return all;
        }

        if (authorizedOnly is BsonBoolean { Value: false })
        {
            throw CommandDispatcher.NotAuthorized(ctx);
        }

        var privileges = state.Users.Privileges(roles);
        return [.. all.Where(db => privileges.Any(p => !p.Resource.Cluster && p.Resource.Covers(ResourcePattern.Database(db))))];
    }
}
