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

        LdapLogin login;
        try
        {
            login = await directory.AuthenticateAsync(user, parts[2], ctx.Cancellation);
        }
        catch (Exception e) when (e is LdapException or FormatException or System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            ctx.State.LogAccess("Authentication failed", new BsonDocument { { "mechanism", Mechanism }, { "user", user }, { "db", ctx.Db }, { "error", e.Message } });
            throw failed(user, ctx.Db);
        }

        var roles = login.Groups.Select(g => new RoleRef(g, "admin")).Where(ctx.State.Users.RoleExists).Distinct().ToList();
        succeeded(ctx, new AuthenticatedUser(login.User, "$external", roles), Mechanism, false);
        return new BsonDocument
        {
            { "conversationId", 1 },
            { "done", true },
            { "payload", new BsonBinaryData([]) },
        };
    }
}
