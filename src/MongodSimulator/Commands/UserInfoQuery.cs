using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>usersInfo and rolesInfo: argument forms, privilege rules ([W33]) and reply shapes ([W32]).</summary>
internal static class UserInfoQuery
{
    public static void Authorize(CommandContext ctx)
    {
        var users = ctx.State.Users;
        var roles = ctx.Connection.Roles.ToList();
        var arg = ctx.Argument;
        if (arg is BsonDocument d && d.GetValue("forAllDBs", false).ToBoolean())
        {
            if (!users.IsAuthorized(roles, ResourcePattern.ClusterResource, "viewUser"))
            {
                throw new CommandException(ErrorCodes.Unauthorized, "Not authorized to view users from all databases");
            }

            return;
        }

        if (arg.IsNumeric)
        {
            RequireView(ctx, ctx.Db, "viewUser", "users");
            return;
        }

        foreach (var (db, name) in Named(ctx, arg, "user"))
        {
            var own = ctx.Connection.Users.Any(u => u.Db == db && u.User == name);
            if (!own)
            {
                RequireView(ctx, db, "viewUser", "users");
            }
        }
    }

    public static void AuthorizeRoles(CommandContext ctx)
    {
        if (ctx.Argument.IsNumeric)
        {
            RequireView(ctx, ctx.Db, "viewRole", "roles");
            return;
        }

        var own = ctx.State.Users.Closure(ctx.Connection.Roles);
        foreach (var (db, name) in Named(ctx, ctx.Argument, "role"))
        {
            if (!own.Contains(new RoleRef(name, db)))
            {
                RequireView(ctx, db, "viewRole", "roles");
            }
        }
    }

    public static BsonDocument Users(CommandContext ctx)
    {
        var all = ctx.State.Users.AllUsers();
        var arg = ctx.Argument;
        IEnumerable<SimUser> selected = arg switch
        {
            BsonDocument d when d.GetValue("forAllDBs", false).ToBoolean() => all,
            _ when arg.IsNumeric => all.Where(u => u.Db == ctx.Db),
            _ => Named(ctx, arg, "user").Select(n => ctx.State.Users.FindUser(n.Db, n.Name)).OfType<SimUser>(),
        };
        var showPrivileges = ctx.Command.GetValue("showPrivileges", false).ToBoolean();
        var showCredentials = ctx.Command.GetValue("showCredentials", false).ToBoolean();
        return new BsonDocument("users", new BsonArray(selected.Select(u => UserDoc(ctx, u, showPrivileges, showCredentials))));
    }

    public static BsonDocument Roles(CommandContext ctx)
    {
        var store = ctx.State.Users;
        var showPrivileges = ctx.Command.GetValue("showPrivileges", false).ToBoolean();
        IEnumerable<RoleRef> selected = ctx.Argument.IsNumeric
            ? store.AllRoles().Select(r => r.Id).Where(r => r.Db == ctx.Db)
            : Named(ctx, ctx.Argument, "role").Select(n => new RoleRef(n.Name, n.Db)).Where(store.RoleExists);
        return new BsonDocument("roles", new BsonArray(selected.Select(r => RoleDoc(ctx, r, showPrivileges))));
    }

    private static BsonDocument UserDoc(CommandContext ctx, SimUser u, bool showPrivileges, bool showCredentials)
    {
        var doc = new BsonDocument
        {
            { "_id", u.Key },
            { "userId", new BsonBinaryData(u.UserId, GuidRepresentation.Standard) },
            { "user", u.Name },
            { "db", u.Db },
            { "roles", new BsonArray(u.Roles.Select(r => r.ToBson())) },
            { "mechanisms", u.Db == "$external" ? new BsonArray { "external" } : new BsonArray { "SCRAM-SHA-256" } },
        };
        if (u.CustomData is not null)
        {
            doc["customData"] = u.CustomData;
        }

        if (showCredentials && u.Scram is { } s)
        {
            doc["credentials"] = new BsonDocument("SCRAM-SHA-256", new BsonDocument
            {
                { "iterationCount", s.Iterations },
                { "salt", Convert.ToBase64String(s.Salt) },
                { "storedKey", Convert.ToBase64String(s.StoredKey) },
                { "serverKey", Convert.ToBase64String(s.ServerKey) },
            });
        }

        if (showPrivileges)
        {
            doc["inheritedRoles"] = new BsonArray(ctx.State.Users.Closure(u.Roles).Select(r => r.ToBson()));
            doc["inheritedPrivileges"] = new BsonArray(ctx.State.Users.Privileges(u.Roles).Select(p => p.ToBson()));
        }

        return doc;
    }

    private static BsonDocument RoleDoc(CommandContext ctx, RoleRef r, bool showPrivileges)
    {
        var store = ctx.State.Users;
        var custom = store.FindRole(r);
        var direct = custom?.Roles ?? BuiltinRoles.Define(r)?.Roles ?? [];
        var doc = new BsonDocument
        {
            { "_id", $"{r.Db}.{r.Role}" },
            { "role", r.Role },
            { "db", r.Db },
            { "isBuiltin", custom is null },
            { "roles", new BsonArray(direct.Select(x => x.ToBson())) },
            { "inheritedRoles", new BsonArray(store.Closure(direct).Select(x => x.ToBson())) },
        };
        if (showPrivileges)
        {
            var own = custom?.Privileges ?? BuiltinRoles.Define(r)?.Privileges ?? [];
            doc["privileges"] = new BsonArray(own.Select(p => p.ToBson()));
            doc["inheritedPrivileges"] = new BsonArray(store.Privileges([r]).Select(p => p.ToBson()));
        }

        return doc;
    }

    private static void RequireView(CommandContext ctx, string db, string action, string what)
    {
        if (!ctx.State.Users.IsAuthorized(ctx.Connection.Roles, ResourcePattern.Database(db), action))
        {
            throw new CommandException(ErrorCodes.Unauthorized, $"Not authorized to view {what} from the {db} database");
        }
    }

    /// <summary>"name", {user|role: name, db}, or an array of those.</summary>
    private static List<(string Db, string Name)> Named(CommandContext ctx, BsonValue arg, string field) => arg switch
    {
        BsonString s => [(ctx.Db, s.Value)],
        BsonDocument d when d.GetValue(field, BsonNull.Value).IsString => [(d.GetValue("db", ctx.Db).AsString, d[field].AsString)],
        BsonArray a => [.. a.SelectMany(v => Named(ctx, v, field))],
        _ => throw new CommandException(ErrorCodes.BadValue, $"{ctx.Name} argument must be a number, string, document or array"),
    };
}
