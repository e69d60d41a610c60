using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Tls;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>serverStatus with the security section taken from the certificate actually loaded.</summary>
internal static class StatusCommands
{
    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec { Name = "serverStatus", ClusterAction = "serverStatus", Handler = CommandSpec.Sync(ServerStatus) };
    }

    private static BsonDocument ServerStatus(CommandContext ctx)
    {
        var state = ctx.State;
        var now = state.Clock.GetUtcNow();
        var uptime = (now - state.StartedAt).TotalSeconds;
        var reply = new BsonDocument
        {
            { "host", state.Repl.Me },
            { "version", state.Profile.Version },
            { "process", "mongod" },
            { "pid", (long)Environment.ProcessId },
            { "uptime", Math.Floor(uptime) },
            { "uptimeMillis", (long)(uptime * 1000) },
            { "uptimeEstimate", (long)uptime },
            { "localTime", now.UtcDateTime },
            { "connections", new BsonDocument
                {
                    { "current", (int)state.Stats.CurrentConnections },
                    { "available", 838860 - (int)state.Stats.CurrentConnections },
                    { "totalCreated", (int)state.Stats.TotalCreated },
                }
            },
            { "security", Security(ctx) },
        };
        if (state.Repl.SetName is not null && ctx.Command.GetValue("repl", 1).ToBoolean())
        {
            var repl = HelloReply.Build(ctx);
            repl.Remove("maxBsonObjectSize");
            repl["rbid"] = 1;
            repl["userWriteBlockMode"] = 1;
            reply["repl"] = repl;
        }

        if (state.Profile.Edition == Edition.Psmdb)
        {
            reply["encryptionAtRest"] = new BsonDocument
            {
                { "encryptionEnabled", state.Config.Get("security.enableEncryption")?.ToBoolean() ?? false },
                { "encryptionCipherMode", state.Config.GetString("security.encryptionCipherMode") ?? "AES256-CBC" },
            };
        }

        return reply;
    }

    private static BsonDocument Security(CommandContext ctx)
    {
        var state = ctx.State;
        var security = new BsonDocument();
        if (state.Certificates is { } certs)
        {
            security["SSLServerSubjectName"] = DistinguishedName.Rfc2253(certs.Server.SubjectName);
            security["SSLServerHasCertificateAuthority"] = certs.CA.Count > 0;
            security["SSLServerCertificateExpirationDate"] = certs.Server.NotAfter.ToUniversalTime();
        }

        var mechs = state.EnabledMechanisms.Select(m => m.AsString).Where(m => m is "SCRAM-SHA-1" or "SCRAM-SHA-256" or "MONGODB-X509");
        security["authentication"] = new BsonDocument("mechanisms", state.Stats.MechanismsToBson(mechs));
        return security;
    }
}
