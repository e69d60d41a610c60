using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Auth.Ldap;
using HipaaMongo.MongodSimulator.Server;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// saslStart mechanism PLAIN on $external, answered in one step as PSMDB's OpenLDAPServerMechanism does
/// (external_sasl_authentication_session.cpp): the payload is [authzid]\0authcid\0password (RFC 4616); the user is
/// authcid in $external; its roles are the admin roles named after the groups the authz query returns, and only
/// those that exist ("If a returned group DN exactly matches the name of an existing role on the admin database,
/// MongoDB grants the user the roles and privileges assigned to that role": MongoDB manual, LDAP Authorization).
/// Every failure answers AuthenticationFailed; the reason goes to the log, never the password.
/// </summary>
internal static class PlainLdap
{
    private const string Mechanism = "PLAIN";

    public static async Task<BsonDocument> AuthenticateAsync(CommandContext ctx, string payload,
        Action<CommandContext, AuthenticatedUser, string, bool> succeeded, Func<string, string, CommandException> failed)
    {
        if (!ctx.State.EnabledMechanisms.Contains(Mechanism))
        {
            throw new CommandException(ErrorCodes.MechanismUnavailable, $"Received authentication for mechanism {Mechanism} which is not enabled");
        }

        var parts = payload.Split('\0');
        var user = parts.Length == 3 ? parts[1] : "";
        if (ctx.Db != "$external" || ctx.State.Ldap is not { } directory)
        {
            // PLAIN against local SCRAM credentials and saslauthd are not simulated.
            throw new CommandException(ErrorCodes.MechanismUnavailable,
                $"{Mechanism} is simulated only on $external with security.ldap.servers set");
        }
        if (parts.Length != 3 || user.Length == 0)
        {
            throw failed(user, ctx.Db);
        }

        // The password is checked by a bind on every login; the groups come from mongod's user cache while the user
        // is in it (LdapUserCache: read once per ldapUserCacheInvalidationInterval), else from the authz query.
        var cached = ctx.State.LdapUsers.TryGet(user, out var groups);
        LdapLogin login;
        try
        {
            login = await directory.AuthenticateAsync(user, parts[2], withGroups: !cached, ctx.Cancellation);
        }
        catch (Exception e) when (e is LdapException or FormatException or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            ctx.State.LogAccess("Authentication failed", new BsonDocument { { "mechanism", Mechanism }, { "user", user }, { "db", ctx.Db }, { "error", e.Message } });
            throw failed(user, ctx.Db);
        }
        if (!cached)
        {
            groups = login.Groups;
            ctx.State.LdapUsers.Put(login.User, groups);
        }

        succeeded(ctx, new AuthenticatedUser(login.User, "$external", RolesOf(ctx.State, groups), Ldap: true), Mechanism, false);
        return new BsonDocument
        {
            { "conversationId", 1 },
            { "done", true },
            { "payload", new BsonBinaryData([]) },
        };
    }

    /// <summary>The roles a directory user holds: the admin roles named after its groups that exist.</summary>
    internal static List<RoleRef> RolesOf(ServerState state, IEnumerable<string> groups) =>
        [.. groups.Select(g => new RoleRef(g, "admin")).Where(state.Users.RoleExists).Distinct()];

    /// <summary>
    /// Before a command, as AuthorizationSessionImpl::_refreshUserInfoAsNeeded does for a user whose cache entry was
    /// invalidated: the groups are read again from the directory (and cached); if that fails (the directory down) the
    /// session keeps its old roles ("Could not fetch updated user privilege information, continuing to use old
    /// information", log id 20247). While the user is cached, its cached groups are used.
    /// </summary>
    internal static async Task<AuthenticatedUser> RefreshAsync(CommandContext ctx, AuthenticatedUser user)
    {
        if (ctx.State.Ldap is not { } directory)
        {
            return user;
        }
        if (!ctx.State.LdapUsers.TryGet(user.User, out var groups))
        {
            try
            {
                groups = await directory.AcquireGroupsAsync(user.User, ctx.Cancellation);
            }
            catch (Exception e) when (e is LdapException or FormatException or System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                ctx.State.Logger?.Invoke("ACCESS", "Could not fetch updated user privilege information, continuing to use old information",
                    new BsonDocument { { "user", user.ToBson() }, { "error", e.Message } }, 20247);
                return user;
            }
            ctx.State.LdapUsers.Put(user.User, groups);
        }
        return user with { Roles = RolesOf(ctx.State, groups) };
    }
}
