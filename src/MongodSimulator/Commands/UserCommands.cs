using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>User and role administration with mongod's privilege rules and error codes (doc sections 5 and 7).</summary>
internal static class UserCommands
{
    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec
        {
            Name = "createUser",
            PrimaryOnly = true,
            LocalhostException = true,
            Authorize = c => Require(c, c.Db, "createUser", RolesArg(c, "roles")),
            Handler = CommandSpec.Sync(CreateUser),
        };
        yield return new CommandSpec { Name = "dropUser", PrimaryOnly = true, Authorize = c => Require(c, c.Db, "dropUser", []), Handler = CommandSpec.Sync(DropUser) };
        yield return new CommandSpec
        {
            Name = "updateUser",
            PrimaryOnly = true,
            Authorize = c => Require(c, c.Db, "changePassword", RolesArg(c, "roles")),
            Handler = CommandSpec.Sync(UpdateUser),
        };
        yield return new CommandSpec
        {
            Name = "grantRolesToUser",
            PrimaryOnly = true,
            Authorize = c => Require(c, null, null, RolesArg(c, "roles")),
            Handler = CommandSpec.Sync(GrantRoles),
        };
        yield return new CommandSpec
        {
            Name = "createRole",
            PrimaryOnly = true,
            LocalhostException = true,
            Authorize = c => Require(c, c.Db, "createRole", RolesArg(c, "roles")),
            Handler = CommandSpec.Sync(CreateRole),
        };
        yield return new CommandSpec { Name = "usersInfo", Authorize = UserInfoQuery.Authorize, Handler = CommandSpec.Sync(UserInfoQuery.Users) };
        yield return new CommandSpec { Name = "rolesInfo", Authorize = UserInfoQuery.AuthorizeRoles, Handler = CommandSpec.Sync(UserInfoQuery.Roles) };
    }

    /// <summary>action on the db (if any) plus grantRole on every granted role's db.</summary>
    private static void Require(CommandContext ctx, string? db, string? action, IEnumerable<RoleRef> granted)
    {
        var users = ctx.State.Users;
        var roles = ctx.Connection.Roles.ToList();
        var ok = (db is null || users.IsAuthorized(roles, ResourcePattern.Database(db), action!))
            && granted.All(r => users.IsAuthorized(roles, ResourcePattern.Database(r.Db), "grantRole"));
        if (!ok && !(ctx.State.LocalhostExceptionOpen && !ctx.Connection.IsAuthenticated))
        {
            throw CommandDispatcher.NotAuthorized(ctx);
        }
    }

    internal static List<RoleRef> RolesArg(CommandContext ctx, string field) =>
        ctx.Command.GetValue(field, new BsonArray()) is BsonArray a ? [.. a.Select(v => ToRole(v, ctx.Db))] : [];

    internal static RoleRef ToRole(BsonValue v, string defaultDb) => v switch
    {
        BsonString s => new RoleRef(s.Value, defaultDb),
        BsonDocument d when d.GetValue("role", BsonNull.Value).IsString => new RoleRef(d["role"].AsString, d.GetValue("db", defaultDb).AsString),
        _ => throw new CommandException(ErrorCodes.BadValue, "Role names must be either strings or objects"),
    };

    private static BsonDocument CreateUser(CommandContext ctx)
    {
        var name = ctx.Argument.IsString ? ctx.Argument.AsString : throw new CommandException(ErrorCodes.BadValue, "User name must be a string");
        var hasPwd = ctx.Command.TryGetValue("pwd", out var pwd);
        if (ctx.Db == "$external" && hasPwd)
        {
            throw new CommandException(ErrorCodes.BadValue, "Cannot set the password for users defined on the '$external' database");
        }

        if (ctx.Db != "$external" && (!hasPwd || !pwd.IsString))
        {
            throw new CommandException(ErrorCodes.BadValue, "Must provide a 'pwd' field for all user documents, except those with '$external' as the user's source db");
        }

        var user = new SimUser
        {
            Db = ctx.Db,
            Name = name,
            Roles = RolesArg(ctx, "roles"),
            CustomData = ctx.Command.GetValue("customData", BsonNull.Value) as BsonDocument,
            Scram = hasPwd ? ScramCredential.Create(pwd.AsString, ctx.State.Parameters.GetInt("scramSHA256IterationCount")) : null,
        };
        ctx.State.Users.AddUser(user);
        ctx.State.Repl.ReplicateUsers(s => s.PutUser(user.Clone()));
        ctx.AuditEvent("createUser", new BsonDocument { { "user", name }, { "db", ctx.Db }, { "roles", new BsonArray(user.Roles.Select(r => r.ToBson())) } });
        return [];
    }

    private static BsonDocument DropUser(CommandContext ctx)
    {
        var name = ctx.Argument.ToString() ?? "";
        ctx.State.Users.DropUser(ctx.Db, name);
        ctx.State.Repl.ReplicateUsers(s => s.RemoveUser(ctx.Db, name));
        ctx.AuditEvent("dropUser", new BsonDocument { { "user", name }, { "db", ctx.Db } });
        return [];
    }

    private static BsonDocument UpdateUser(CommandContext ctx)
    {
        var user = FindUser(ctx);
        if (ctx.Command.TryGetValue("roles", out _))
        {
            var roles = RolesArg(ctx, "roles");
            ctx.State.Users.EnsureRolesExist(roles);
            user.Roles = roles;
        }

        if (ctx.Command.GetValue("pwd", BsonNull.Value) is BsonString pwd)
        {
            user.Scram = ScramCredential.Create(pwd.Value, ctx.State.Parameters.GetInt("scramSHA256IterationCount"));
        }

        if (ctx.Command.GetValue("customData", BsonNull.Value) is BsonDocument custom)
        {
            user.CustomData = custom;
        }

        ctx.State.Users.PutUser(user); // the changed document is written back to admin.system.users
        ctx.State.Repl.ReplicateUsers(s => s.PutUser(user.Clone()));
        ctx.AuditEvent("updateUser", new BsonDocument { { "user", user.Name }, { "db", user.Db }, { "passwordChanged", ctx.Command.Contains("pwd") } });
        return [];
    }

    private static BsonDocument GrantRoles(CommandContext ctx)
    {
        var user = FindUser(ctx);
        var roles = RolesArg(ctx, "roles");
        ctx.State.Users.EnsureRolesExist(roles);
        user.Roles = [.. user.Roles.Union(roles)];
        ctx.State.Users.PutUser(user);
        ctx.State.Repl.ReplicateUsers(s => s.PutUser(user.Clone()));
        ctx.AuditEvent("grantRolesToUser", new BsonDocument { { "user", user.Name }, { "db", user.Db }, { "roles", new BsonArray(roles.Select(r => r.ToBson())) } });
        return [];
    }

    private static BsonDocument CreateRole(CommandContext ctx)
    {
        var name = ctx.Argument.IsString ? ctx.Argument.AsString : throw new CommandException(ErrorCodes.BadValue, "Role name must be a string");
        var privileges = PrivilegesArg(ctx);
        var role = new SimRole { Id = new RoleRef(name, ctx.Db), Privileges = privileges, Roles = RolesArg(ctx, "roles") };
        ctx.State.Users.AddRole(role);
        ctx.State.Repl.ReplicateUsers(s => s.PutRole(role.Clone()));
        ctx.AuditEvent("createRole", new BsonDocument { { "role", name }, { "db", ctx.Db } });
        return [];
    }

    /// <summary>The privileges argument of createRole/updateRole; an action mongod does not know is BadValue.</summary>
    internal static List<Privilege> PrivilegesArg(CommandContext ctx)
    {
        var privileges = new List<Privilege>();
        foreach (var p in ctx.Command.GetValue("privileges", new BsonArray()).AsBsonArray.Select(v => v.AsBsonDocument))
        {
            var actions = p["actions"].AsBsonArray.Select(a => a.AsString).ToHashSet(StringComparer.Ordinal);
            if (actions.FirstOrDefault(a => !BuiltinRoles.KnownActions.Contains(a)) is { } unknown)
            {
                throw new CommandException(ErrorCodes.BadValue, $"Unrecognized action privilege string: {unknown}");
            }

            privileges.Add(new Privilege(ResourcePattern.FromBson(p["resource"].AsBsonDocument), actions));
        }

        return privileges;
    }

    private static SimUser FindUser(CommandContext ctx)
    {
        var name = ctx.Argument.ToString() ?? "";
        return ctx.State.Users.FindUser(ctx.Db, name)
            ?? throw new CommandException(ErrorCodes.UserNotFound, $"Could not find user \"{name}\" for db \"{ctx.Db}\"");
    }
}
