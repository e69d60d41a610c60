using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// revokeRolesFromUser, updateRole and dropRole, with mongod's privilege rules (user_management_commands.cpp:
/// revokeRole on each revoked role's database; updateRole needs grantRole and revokeRole on the role's database;
/// dropRole needs dropRole there) and error codes (UserNotFound 11, RoleNotFound 31). docs/mongod-simulator.md.
/// </summary>
internal static class RoleAdminCommands
{
    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec
        {
            Name = "revokeRolesFromUser",
            PrimaryOnly = true,
            Authorize = c => Require(c, [.. UserCommands.RolesArg(c, "roles").Select(r => (r.Db, "revokeRole"))]),
            Handler = CommandSpec.Sync(RevokeRoles),
        };
        yield return new CommandSpec
        {
            Name = "updateRole",
            PrimaryOnly = true,
            Authorize = c => Require(c, [(c.Db, "grantRole"), (c.Db, "revokeRole")]),
            Handler = CommandSpec.Sync(UpdateRole),
        };
        yield return new CommandSpec { Name = "dropRole", PrimaryOnly = true, Authorize = c => Require(c, [(c.Db, "dropRole")]), Handler = CommandSpec.Sync(DropRole) };
    }

    private static void Require(CommandContext ctx, IReadOnlyList<(string Db, string Action)> needs)
    {
        var roles = ctx.Connection.Roles.ToList();
        if (!needs.All(n => ctx.State.Users.IsAuthorized(roles, ResourcePattern.Database(n.Db), n.Action)))
        {
            throw CommandDispatcher.NotAuthorized(ctx);
        }
    }

    private static BsonDocument RevokeRoles(CommandContext ctx)
    {
        var name = ctx.Argument.ToString() ?? "";
        var user = ctx.State.Users.FindUser(ctx.Db, name)
            ?? throw new CommandException(ErrorCodes.UserNotFound, $"Could not find user \"{name}\" for db \"{ctx.Db}\"");
        var roles = UserCommands.RolesArg(ctx, "roles");
        user.Roles = [.. user.Roles.Except(roles)];
        ctx.State.Users.PutUser(user);
        ctx.State.Repl.ReplicateUsers(s => s.PutUser(user.Clone()));
        ctx.AuditEvent("revokeRolesFromUser", new BsonDocument { { "user", user.Name }, { "db", user.Db }, { "roles", new BsonArray(roles.Select(r => r.ToBson())) } });
        return [];
    }

    private static BsonDocument UpdateRole(CommandContext ctx)
    {
        var name = ctx.Argument.IsString ? ctx.Argument.AsString : throw new CommandException(ErrorCodes.BadValue, "Role name must be a string");
        var existing = ctx.State.Users.FindRole(new RoleRef(name, ctx.Db))
            ?? throw new CommandException(ErrorCodes.RoleNotFound, $"Role {name}@{ctx.Db} not found");
        var privileges = ctx.Command.Contains("privileges") ? UserCommands.PrivilegesArg(ctx) : existing.Privileges;
        var inherited = ctx.Command.Contains("roles") ? UserCommands.RolesArg(ctx, "roles") : existing.Roles;
        ctx.State.Users.EnsureRolesExist(inherited);
        var role = new SimRole { Id = existing.Id, Privileges = [.. privileges], Roles = [.. inherited] };
        ctx.State.Users.PutRole(role);
        ctx.State.Repl.ReplicateUsers(s => s.PutRole(role.Clone()));
        ctx.AuditEvent("updateRole", new BsonDocument { { "role", name }, { "db", ctx.Db } });
        return [];
    }

    private static BsonDocument DropRole(CommandContext ctx)
    {
        var id = new RoleRef(ctx.Argument.ToString() ?? "", ctx.Db);
        if (!ctx.State.Users.RemoveRole(id))
        {
            throw new CommandException(ErrorCodes.RoleNotFound, $"Role {id.Role}@{id.Db} not found");
        }

        ctx.State.Repl.ReplicateUsers(s => s.RemoveRole(id));
        ctx.AuditEvent("dropRole", new BsonDocument { { "role", id.Role }, { "db", id.Db } });
        return [];
    }
}
