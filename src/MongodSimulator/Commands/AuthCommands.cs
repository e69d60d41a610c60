using System.Text;
using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Server;
using HipaaMongo.MongodSimulator.Tls;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// saslStart/saslContinue (SCRAM-SHA-256), saslStart PLAIN on $external against LDAP, authenticate (MONGODB-X509),
/// speculativeAuthenticate (doc section 3).
/// </summary>
internal static class AuthCommands
{
    private const string Scram256 = "SCRAM-SHA-256";
    private const string X509 = "MONGODB-X509";
    private const string Plain = "PLAIN";

    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec { Name = "saslStart", RequiresAuth = false, Handler = SaslStartAsync };
        yield return new CommandSpec { Name = "saslContinue", RequiresAuth = false, Handler = CommandSpec.Sync(SaslContinue) };
        yield return new CommandSpec { Name = "authenticate", RequiresAuth = false, Handler = CommandSpec.Sync(c => Authenticate(c, c.Command, c.Db, false)) };
    }

    /// <summary>speculativeAuthenticate in hello: success adds the reply field, failure is silent.</summary>
    public static Task SpeculateAsync(CommandContext ctx, BsonDocument reply)
    {
        if (ctx.Command.GetValue("speculativeAuthenticate", BsonNull.Value) is not BsonDocument spec || spec.ElementCount == 0)
        {
            return Task.CompletedTask;
        }

        try
        {
            var result = spec.GetElement(0).Name switch
            {
                "authenticate" => Authenticate(ctx, spec, spec.GetValue("db", "$external").AsString, true),
                "saslStart" when spec.Contains("db") => SaslStart(ctx, spec, spec["db"].AsString, true),
                _ => null,
            };
            if (result is not null)
            {
                reply["speculativeAuthenticate"] = result;
            }
        }
        catch (CommandException)
        {
            // Speculative failures are silent; the explicit conversation then fails with the real error.
        }

        return Task.CompletedTask;
    }

    private static Task<BsonDocument> SaslStartAsync(CommandContext ctx) =>
        ctx.Command.GetValue("mechanism", "").ToString() == Plain
            ? PlainLdap.AuthenticateAsync(ctx, Payload(ctx.Command), Succeeded, (user, db) => Failed(ctx, user, db, Plain, false))
            : Task.FromResult(SaslStart(ctx, ctx.Command, ctx.Db, false));

    private static BsonDocument SaslStart(CommandContext ctx, BsonDocument cmd, string db, bool speculative)
    {
        var mechanism = cmd.GetValue("mechanism", "").ToString();
        if (mechanism != Scram256 || !ctx.State.EnabledMechanisms.Contains(Scram256))
        {
            throw new CommandException(ErrorCodes.MechanismUnavailable, $"Received authentication for mechanism {mechanism} which is not enabled");
        }

        var conversation = new ScramConversation(name => ctx.State.Users.FindUser(db, name)?.Scram);
        var serverFirst = conversation.Start(Payload(cmd));
        if (serverFirst is null)
        {
            throw Failed(ctx, conversation.UserName ?? "", db, Scram256, speculative);
        }

        ctx.Connection.Sasl = conversation;
        ctx.Connection.SaslDb = db;
        return new BsonDocument
        {
            { "conversationId", 1 },
            { "done", false },
            { "payload", new BsonBinaryData(Encoding.UTF8.GetBytes(serverFirst)) },
        };
    }

    private static BsonDocument SaslContinue(CommandContext ctx)
    {
        if (ctx.Command.GetValue("conversationId", 0).ToInt32() != 1)
        {
            throw new CommandException(ErrorCodes.ProtocolError, "sasl: Mismatched conversation id");
        }

        var conversation = ctx.Connection.Sasl ?? throw new CommandException(ErrorCodes.ProtocolError, "No SASL session state found");
        var db = ctx.Connection.SaslDb ?? ctx.Db;
        var payload = Payload(ctx.Command);
        if (payload.Length == 0 && ctx.Connection.IsAuthenticated)
        {
            ctx.Connection.Sasl = null; // the optional empty final round when skipEmptyExchange was not sent
            return Done([]);
        }

        var serverFinal = conversation.Continue(payload);
        ctx.Connection.Sasl = null;
        if (serverFinal is null)
        {
            throw Failed(ctx, conversation.UserName ?? "", db, Scram256, false);
        }

        var user = ctx.State.Users.FindUser(db, conversation.UserName!)!;
        Succeeded(ctx, new AuthenticatedUser(user.Name, user.Db, user.Roles, Stored: true), Scram256, false);
        var skipEmpty = ctx.Command.GetValue("options", new BsonDocument()).AsBsonDocument.GetValue("skipEmptyExchange", true).ToBoolean();
        ctx.Connection.Sasl = skipEmpty ? null : conversation;
        var reply = Done(Encoding.UTF8.GetBytes(serverFinal));
        reply["done"] = skipEmpty;
        return reply;
    }

    private static BsonDocument Authenticate(CommandContext ctx, BsonDocument cmd, string db, bool speculative)
    {
        var mechanism = cmd.GetValue("mechanism", "").ToString() ?? "";
        if (mechanism != X509)
        {
            throw new CommandException(ErrorCodes.MechanismUnavailable, $"Unsupported mechanism {mechanism}");
        }

        if (db != "$external")
        {
            throw new CommandException(ErrorCodes.ProtocolError, "X.509 authentication must always use the $external database.");
        }

        var cert = ctx.Connection.ClientCertificate;
        if (!ctx.State.EnabledMechanisms.Contains(X509) || cert is null || !ctx.Connection.ClientCertificateValid)
        {
            throw Failed(ctx, cmd.GetValue("user", "").ToString() ?? "", db, X509, speculative);
        }

        var dn = DistinguishedName.Rfc2253(cert.SubjectName);
        if (cmd.TryGetValue("user", out var requested) && requested.IsString && requested.AsString != dn)
        {
            throw Failed(ctx, requested.AsString, db, X509, speculative);
        }

        var identity = Resolve(ctx, dn) ?? throw Failed(ctx, dn, db, X509, speculative);
        Succeeded(ctx, identity, X509, speculative);
        return new BsonDocument { { "dbname", "$external" }, { "user", dn } };
    }

    /// <summary>A member-DN certificate is __system under x509 cluster auth; otherwise the $external user must exist.</summary>
    private static AuthenticatedUser? Resolve(CommandContext ctx, string dn)
    {
        var state = ctx.State;
        var cert = ctx.Connection.ClientCertificate!;
        var server = state.Certificates?.Server;
        var isMember = server is not null && DistinguishedName.MembershipAttributes(server.SubjectName) is { Count: > 0 } own
            && own.SequenceEqual(DistinguishedName.MembershipAttributes(cert.SubjectName));
        if (isMember)
        {
            var mode = state.Parameters.GetString("clusterAuthMode");
            if (mode is "sendX509" or "x509")
            {
                return new AuthenticatedUser("__system", "local", [new RoleRef("__system", "admin")]);
            }

            if (state.Parameters.GetBool("enforceUserClusterSeparation"))
            {
                return null;
            }
        }

        var user = state.Users.FindUser("$external", dn)
            ?? throw new CommandException(ErrorCodes.UserNotFound, $"Could not find user \"{dn}\" for db \"$external\"");
        return new AuthenticatedUser(user.Name, user.Db, user.Roles, Stored: true);
    }

    private static void Succeeded(CommandContext ctx, AuthenticatedUser identity, string mechanism, bool speculative)
    {
        ctx.Connection.Users.RemoveAll(u => u.Db == identity.Db);
        ctx.Connection.Users.Add(identity);
        ctx.State.Stats.Authentication(mechanism, speculative, success: true);
        ctx.AuditEvent("authenticate", new BsonDocument { { "user", identity.User }, { "db", identity.Db }, { "mechanism", mechanism } });
    }

    private static CommandException Failed(CommandContext ctx, string user, string db, string mechanism, bool speculative)
    {
        ctx.State.Stats.Authentication(mechanism, speculative, success: false);
        ctx.AuditEvent("authenticate", new BsonDocument { { "user", user }, { "db", db }, { "mechanism", mechanism } },
            ErrorCodes.AuthenticationFailed);
        return new CommandException(ErrorCodes.AuthenticationFailed, "Authentication failed.");
    }

    private static BsonDocument Done(byte[] payload) => new()
    {
        { "conversationId", 1 },
        { "done", true },
        { "payload", new BsonBinaryData(payload) },
    };

    private static string Payload(BsonDocument cmd) => cmd.GetValue("payload", BsonNull.Value) switch
    {
        BsonBinaryData b => Encoding.UTF8.GetString(b.Bytes),
        BsonString s => s.Value,
        _ => "",
    };
}
