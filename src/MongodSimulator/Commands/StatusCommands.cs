using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;
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

        if (state.Profile.Edition == Edition.Psmdb && HasEncryptionAtRestSection(state.Profile.Version))
        {
            reply["encryptionAtRest"] = EncryptionAtRest(state);
        }

        return reply;
    }

    // PSMDB-1633 added the section in 8.0.12-4 (secure-baseline.md 3.2; the 7.0 backport release is unconfirmed, so
    // 7.0 builds go without it). PSMDB versions read "8.0.12-4": the part after '-' is Percona's build number.
    internal static bool HasEncryptionAtRestSection(string version)
    {
        var parts = new SimulatorProfile(Edition.Psmdb, version).VersionArray;
        return parts[0] > 8 || (parts[0] == 8 && (parts[1] > 0 || parts[2] >= 12));
    }

    // encryptionKeyId: "local" for a key file, {kmip: {keyId}} for the KMIP key obtained at start-up (key_id.cpp,
    // KmipKeyId::serializeToServerStatus), the Vault secret path, or null when encryption is off or no key id is known
    // (encryption_status.cpp) [P2][P4].
    private static BsonDocument EncryptionAtRest(ServerState state)
    {
        var config = state.Config;
        var enabled = config.Get("security.enableEncryption")?.ToBoolean() ?? false;
        BsonValue keyId = !enabled ? BsonNull.Value
            : config.GetString("security.encryptionKeyFile") is not null ? "local"
            : state.MasterKeyId is { } kmip ? new BsonDocument("kmip", new BsonDocument("keyId", kmip))
            : config.GetString("security.vault.secret") is { } secret ? secret : BsonNull.Value;
        var section = new BsonDocument("encryptionEnabled", enabled);
        if (enabled)
        {
            section["encryptionCipherMode"] = config.GetString("security.encryptionCipherMode") ?? "AES256-CBC";
            section["encryptionKeyId"] = keyId;
        }

        return section;
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
