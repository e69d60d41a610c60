using HipaaMongo.MongodSimulator.Commands;
using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>The parameters the simulator knows, with mongod's runtime/startup rules (doc section 5, parameters manual).</summary>
internal static class ParameterCatalog
{
    private static readonly string[] TlsModes = ["disabled", "allowTLS", "preferTLS", "requireTLS"];
    private static readonly string[] ClusterAuthModes = ["keyFile", "sendKeyFile", "sendX509", "x509"];
    private static readonly string[] KnownMechanisms = ["SCRAM-SHA-1", "SCRAM-SHA-256", "MONGODB-X509", "GSSAPI", "PLAIN", "MONGODB-OIDC"];

    public static IReadOnlyList<ParameterDef> All { get; } = Build();

    public static ParameterDef? Find(string name, SimulatorProfile profile) =>
        All.FirstOrDefault(p => p.Name == name && p.Available(profile));

    private static List<ParameterDef> Build()
    {
        static bool Commercial(SimulatorProfile p) => p.IsCommercial;
        return
        [
            new()
            {
                Name = "tlsMode", Runtime = true,
                Initial = c => c.TlsMode,
                Convert = (old, v) => TlsTransition(old.AsString, ParameterDef.ToStr("tlsMode", v).AsString),
            },
            new()
            {
                Name = "clusterAuthMode", Runtime = true,
                Initial = c => c.ClusterAuthMode ?? (c.GetString("security.keyFile") is null ? "undefined" : "keyFile"),
                Convert = (old, v) => ClusterAuthTransition(old.AsString, ParameterDef.ToStr("clusterAuthMode", v).AsString),
            },
            new()
            {
                Name = "authenticationMechanisms", Startup = true,
                Initial = _ => new BsonArray { "MONGODB-X509", "SCRAM-SHA-1", "SCRAM-SHA-256" },
                Convert = (_, v) => Mechanisms(v),
            },
            Bool("enableLocalhostAuthBypass", runtime: false, startup: true, initial: true),
            Str("opensslCipherConfig", runtime: false, startup: true),
            Str("opensslCipherSuiteConfig", runtime: false, startup: true),
            Int("tlsX509ExpirationWarningThresholdDays", runtime: false, startup: true, initial: 30, 0, int.MaxValue),
            Bool("tlsWithholdClientCertificate", runtime: false, startup: true, initial: false),
            Bool("enforceUserClusterSeparation", runtime: false, startup: true, initial: true),
            new()
            {
                Name = "redactClientLogData", Runtime = true, Startup = true, Available = Commercial,
                Initial = c => c.RedactClientLogData,
                Convert = (_, v) => ParameterDef.ToBool("redactClientLogData", v),
            },
            Bool("auditAuthorizationSuccess", runtime: true, startup: true, initial: false, Commercial),
            Int("scramSHA256IterationCount", runtime: true, startup: true, initial: 15000, 5000, int.MaxValue),
            Int("scramIterationCount", runtime: true, startup: true, initial: 10000, 5000, int.MaxValue),
            Int("authFailedDelayMs", runtime: true, startup: true, initial: 0, 0, 5000, p => p.Edition == Edition.Enterprise),
            Bool("diagnosticDataCollectionEnabled", runtime: true, startup: true, initial: true),
            Bool("perconaTelemetry", runtime: true, startup: true, initial: true, p => p.Edition == Edition.Psmdb),
            Str("tlsX509ClusterAuthDNOverride", runtime: true, startup: true),
            Str("ldapServers", runtime: true, startup: true, Commercial, c => c.GetString("security.ldap.servers") ?? ""),
            Str("ldapQueryUser", runtime: true, startup: true, Commercial, c => c.GetString("security.ldap.bind.queryUser") ?? ""),
            Str("ldapUserToDNMapping", runtime: true, startup: true, Commercial, c => c.GetString("security.ldap.userToDNMapping") ?? ""),
            Str("ldapAuthzQueryTemplate", runtime: true, startup: true, Commercial, c => c.GetString("security.ldap.authz.queryTemplate") ?? ""),
            Int("ldapTimeoutMS", runtime: true, startup: true, initial: 10000, 1, int.MaxValue, Commercial),
            // PSMDB ldap_options.idl: set_at [startup, runtime], default 30; 1..86400 as mongod's setFromString checks.
            Int("ldapUserCacheInvalidationInterval", runtime: true, startup: true, initial: 30, 1, 86400, Commercial),
            Int("logLevel", runtime: true, startup: true, initial: 0, 0, 5),
            Bool("quiet", runtime: true, startup: true, initial: false),
            Bool("notablescan", runtime: true, startup: true, initial: false),
            new()
            {
                Name = "featureCompatibilityVersion",
                Initial = _ => new BsonDocument("version", "8.0"), // replaced per profile in ParameterStore
                Convert = (o, _) => o,
            },
        ];
    }

    /// <summary>tlsMode moves only one step toward requireTLS at runtime (ssl_parameters.cpp).</summary>
    private static BsonValue TlsTransition(string old, string requested)
    {
        var next = requested.Replace("SSL", "TLS", StringComparison.Ordinal);
        if (!TlsModes.Contains(next))
        {
            throw new CommandException(ErrorCodes.BadValue, $"Invalid value for tlsMode: {requested}");
        }

        var ok = (old, next) is ("allowTLS", "preferTLS") or ("preferTLS", "requireTLS");
        return ok
            ? next
            : throw new CommandException(ErrorCodes.BadValue,
                $"Illegal state transition for tlsMode, attempt to change from {old} to {next}");
    }

    private static BsonValue ClusterAuthTransition(string old, string requested)
    {
        var target = Array.IndexOf(ClusterAuthModes, requested);
        if (target < 0)
        {
            throw new CommandException(ErrorCodes.BadValue, $"Invalid clusterAuthMode '{requested}'");
        }

        return Array.IndexOf(ClusterAuthModes, old) + 1 == target
            ? requested
            : throw new CommandException(5579202,
                $"Illegal state transition for clusterAuthMode, change from {old} to {requested}");
    }

    private static BsonArray Mechanisms(BsonValue v)
    {
        var names = v switch
        {
            BsonString s => s.Value.Split(','),
            BsonArray a => a.Select(x => x.ToString() ?? "").ToArray(),
            _ => throw new CommandException(ErrorCodes.BadValue, "authenticationMechanisms must be a string"),
        };
        foreach (var n in names)
        {
            if (!KnownMechanisms.Contains(n))
            {
                throw new CommandException(ErrorCodes.BadValue, $"Authentication mechanism {n} is not supported");
            }
        }

        return new BsonArray(names);
    }

    private static ParameterDef Bool(string name, bool runtime, bool startup, bool initial, Func<SimulatorProfile, bool>? available = null) => new()
    {
        Name = name,
        Runtime = runtime,
        Startup = startup,
        Available = available ?? (_ => true),
        Initial = _ => initial,
        Convert = (_, v) => ParameterDef.ToBool(name, v),
    };

    private static ParameterDef Int(string name, bool runtime, bool startup, int initial, int min, int max, Func<SimulatorProfile, bool>? available = null) => new()
    {
        Name = name,
        Runtime = runtime,
        Startup = startup,
        Available = available ?? (_ => true),
        Initial = _ => initial,
        Convert = (_, v) => ParameterDef.ToInt(name, v, min, max),
    };

    private static ParameterDef Str(string name, bool runtime, bool startup, Func<SimulatorProfile, bool>? available = null, Func<MongodConfig, string>? initial = null) => new()
    {
        Name = name,
        Runtime = runtime,
        Startup = startup,
        Available = available ?? (_ => true),
        Initial = c => initial?.Invoke(c) ?? "",
        Convert = (_, v) => ParameterDef.ToStr(name, v),
    };
}
