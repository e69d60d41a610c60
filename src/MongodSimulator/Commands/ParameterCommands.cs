using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>getParameter, setParameter (runtime/startup rules), getCmdLineOpts (doc sections 5 and 6).</summary>
internal static class ParameterCommands
{
    private static readonly HashSet<string> GenericArgs = new(StringComparer.Ordinal)
    {
        "$db", "lsid", "$clusterTime", "$readPreference", "txnNumber", "maxTimeMS", "comment", "writeConcern",
        "readConcern", "apiVersion", "apiStrict", "apiDeprecationErrors", "$audit", "$client",
    };

    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec { Name = "getParameter", AdminOnly = true, ClusterAction = "getParameter", Handler = CommandSpec.Sync(GetParameter) };
        yield return new CommandSpec { Name = "setParameter", AdminOnly = true, ClusterAction = "setParameter", Handler = CommandSpec.Sync(SetParameter) };
        yield return new CommandSpec { Name = "getCmdLineOpts", AdminOnly = true, ClusterAction = "getCmdLineOpts", Handler = CommandSpec.Sync(GetCmdLineOpts) };
    }

    private static BsonDocument GetParameter(CommandContext ctx)
    {
        var store = ctx.State.Parameters;
        var arg = ctx.Argument;
        var details = arg is BsonDocument a && a.GetValue("showDetails", false).ToBoolean();
        IEnumerable<string> names;
        if ((arg is BsonString { Value: "*" }) || (arg is BsonDocument all && all.GetValue("allParameters", false).ToBoolean()))
        {
            var setAt = arg is BsonDocument sa ? sa.GetValue("setAt", "").ToString() : "";
            names = store.Names.Where(n => setAt switch
            {
                "runtime" => store.Definition(n)!.Runtime,
                "startup" => store.Definition(n)!.Startup,
                _ => true,
            });
        }
        else
        {
            names = ctx.Command.Names.Skip(1).Where(n => !GenericArgs.Contains(n));
        }

        var reply = new BsonDocument();
        foreach (var name in names.Where(store.Contains))
        {
            reply[name] = details ? Details(ctx, name) : store.Get(name);
        }

        if (reply.ElementCount == 0)
        {
            throw new CommandException(ErrorCodes.InvalidOptions, "no option found to get");
        }

        return reply;
    }

    private static BsonDocument Details(CommandContext ctx, string name)
    {
        var def = ctx.State.Parameters.Definition(name)!;
        return new BsonDocument
        {
            { "value", ctx.State.Parameters.Get(name) },
            { "settableAtRuntime", def.Runtime },
            { "settableAtStartup", def.Startup },
        };
    }

    /// <summary>Every name is validated before any is applied; the reply's "was" is the first parameter's old value.</summary>
    private static BsonDocument SetParameter(CommandContext ctx)
    {
        var store = ctx.State.Parameters;
        var requested = ctx.Command.Elements.Skip(1).Where(e => !GenericArgs.Contains(e.Name)).ToList();
        if (requested.Count == 0)
        {
            throw new CommandException(ErrorCodes.InvalidOptions, "no option found to set, use help:true to see options ");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var converted = new List<(string Name, BsonValue Value)>();
        foreach (var e in requested)
        {
            if (!seen.Add(e.Name))
            {
                throw new CommandException(ErrorCodes.InvalidOptions, $"attempted to set parameter [{e.Name}] more than once");
            }

            converted.Add((e.Name, store.CheckRuntime(e.Name, e.Value)));
        }

        BsonValue? was = null;
        foreach (var (name, value) in converted)
        {
            var old = store.Store(name, value);
            was ??= old;
        }

        return new BsonDocument("was", was!);
    }

    private static BsonDocument GetCmdLineOpts(CommandContext ctx)
    {
        var config = ctx.State.Config;
        return new BsonDocument
        {
            { "argv", new BsonArray(config.Argv) },
            { "parsed", config.RedactedReport() },
        };
    }
}
