using HipaaMongo.MongodSimulator.Auth;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Tls;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>rotateCertificates, profile, and the edition-specific audit commands.</summary>
internal static class MiscCommands
{
    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec { Name = "rotateCertificates", AdminOnly = true, ClusterAction = "rotateCertificates", Handler = CommandSpec.Sync(Rotate) };
        yield return new CommandSpec
        {
            Name = "profile",
            Authorize = c =>
            {
                if (!c.State.Users.IsAuthorized(c.Connection.Roles, ResourcePattern.Database(c.Db), "enableProfiler"))
                {
                    throw CommandDispatcher.NotAuthorized(c);
                }
            },
            Handler = CommandSpec.Sync(Profile),
        };
        yield return new CommandSpec
        {
            Name = "auditGetOptions",
            AdminOnly = true,
            RequiresAuth = false,
            Available = p => p.Edition == Edition.Psmdb,
            Handler = CommandSpec.Sync(AuditGetOptions),
        };
        yield return new CommandSpec
        {
            Name = "getClusterParameter",
            AdminOnly = true,
            ClusterAction = "getClusterParameter",
            Available = p => p.Edition == Edition.Enterprise,
            Handler = CommandSpec.Sync(GetClusterParameter),
        };
        yield return new CommandSpec
        {
            Name = "logApplicationMessage",
            AdminOnly = true,
            ClusterAction = "applicationMessage",
            Available = p => p.IsCommercial,
            Handler = CommandSpec.Sync(LogApplicationMessage),
        };
    }

    /// <summary>Re-reads the same paths; on failure the old certificates stay in use (new connections only).</summary>
    private static BsonDocument Rotate(CommandContext ctx)
    {
        var config = ctx.State.Config;
        if (config.CertificateKeyFile is not { } keyFile)
        {
            throw new CommandException(140, "Server is not configured with TLS");
        }

        try
        {
            var next = ServerCertificates.Load(keyFile, config.CAFile, ctx.State.Clock);
            ctx.State.Certificates = next;
            ctx.AuditEvent("rotateCertificates", new BsonDocument
            {
                { "message", ctx.Command.GetValue("message", "").ToString() },
                { "subject", next.SubjectName },
                { "validity", next.Server.NotAfter.ToUniversalTime() },
            });
        }
        catch (MongodConfigException e)
        {
            throw new CommandException(140, $"Failed to rotate certificates: {e.Message}");
        }

        return new BsonDocument("ok", true);
    }

    private static BsonDocument Profile(CommandContext ctx)
    {
        var state = ctx.State;
        var level = ctx.Argument.IsNumeric ? ctx.Argument.ToInt32() : int.MinValue;
        if (level is not (-1 or 0 or 1 or 2))
        {
            throw new CommandException(ErrorCodes.BadValue, "Invalid profiling level");
        }

        var reply = new BsonDocument { { "was", state.ProfileLevel }, { "slowms", state.SlowMs }, { "sampleRate", 1.0 } };
        if (level >= 0)
        {
            state.ProfileLevel = level;
        }

        if (ctx.Command.GetValue("slowms", BsonNull.Value) is { IsNumeric: true } slow)
        {
            state.SlowMs = slow.ToInt32();
        }

        return reply;
    }

    private static BsonDocument AuditGetOptions(CommandContext ctx)
    {
        var c = ctx.State.Config;
        return new BsonDocument
        {
            { "format", c.AuditFormat ?? "JSON" },
            { "path", c.AuditPath ?? "" },
            { "destination", c.AuditDestination ?? "" },
            { "filter", c.AuditFilter ?? "{}" },
        };
    }

    private static BsonDocument GetClusterParameter(CommandContext ctx)
    {
        if (ctx.Argument is not BsonString { Value: "auditConfig" })
        {
            throw new CommandException(ErrorCodes.BadValue, $"Unknown Cluster Parameter {ctx.Argument}");
        }

        var filter = ctx.State.Config.AuditFilter is { } f ? BsonDocument.Parse(f) : [];
        return new BsonDocument("clusterParameters", new BsonArray
        {
            new BsonDocument
            {
                { "_id", "auditConfig" },
                { "clusterParameterTime", new BsonTimestamp(0, 0) },
                { "filter", filter },
                // A member not taking part in runtime audit configuration (auditLog.runtimeConfiguration, not
                // simulated) reports its configuration-file values (manual, cluster-parameters/auditConfig).
                { "auditAuthorizationSuccess", ctx.State.Config.GetString("setParameter.auditAuthorizationSuccess") == "true" },
            },
        });
    }

    private static BsonDocument LogApplicationMessage(CommandContext ctx)
    {
        if (ctx.Argument is not BsonString msg)
        {
            throw new CommandException(ErrorCodes.BadValue, "logApplicationMessage only accepts string messages");
        }

        ctx.AuditEvent("applicationMessage", new BsonDocument("msg", msg.Value));
        return [];
    }
}
