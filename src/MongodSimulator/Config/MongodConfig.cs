using System.Globalization;
using MongoDB.Bson;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HipaaMongo.MongodSimulator.Config;

/// <summary>
/// A mongod.conf read the way mongod reads it: known options only, typed by option, ssl names canonicalised
/// to tls names. <see cref="Parsed"/> is exactly what getCmdLineOpts reports as "parsed" (redaction aside).
/// </summary>
public sealed class MongodConfig
{
    private static readonly Dictionary<string, string> SslToTlsName = new(StringComparer.Ordinal)
    {
        ["PEMKeyFile"] = "certificateKeyFile",
        ["PEMKeyPassword"] = "certificateKeyFilePassword",
    };

    private MongodConfig(BsonDocument parsed, IReadOnlyList<string> argv)
    {
        Parsed = parsed;
        Reported = parsed;
        Argv = argv;
    }

    /// <summary>The merged options, nested by dotted name, only those given (no defaults).</summary>
    public BsonDocument Parsed { get; }

    /// <summary>
    /// What getCmdLineOpts and the startup log show: <see cref="Parsed"/>, unless this config was read with
    /// host paths standing in for a container's mounts (<see cref="ReportingAs"/>), where mongod would show the
    /// paths as the container sees them.
    /// </summary>
    public BsonDocument Reported { get; private init; }

    /// <summary>
    /// This config (whose paths the simulator opens), reporting <paramref name="containerView"/>'s options: the
    /// same file as read inside the container, before its mount paths were mapped to host directories.
    /// </summary>
    public MongodConfig ReportingAs(MongodConfig containerView)
    {
        ArgumentNullException.ThrowIfNull(containerView);
        return new MongodConfig(Parsed, Argv) { Reported = containerView.Parsed };
    }

    /// <summary>The command line mongod was started with, e.g. ["mongod","--config","/etc/mongod.conf"].</summary>
    public IReadOnlyList<string> Argv { get; }

    public int Port => Get("net.port")?.AsInt32 ?? 27017;

    public string BindIp => GetString("net.bindIp") ?? "localhost";

    public bool BindIpAll => Get("net.bindIpAll")?.AsBoolean ?? false;

    public string TlsMode => GetString("net.tls.mode") ?? "disabled";

    public string? CertificateKeyFile => GetString("net.tls.certificateKeyFile");

    public string? CAFile => GetString("net.tls.CAFile");

    /// <summary>Protocols removed by net.tls.disabledProtocols; mongod's default disables TLS 1.0 only.</summary>
    public IReadOnlySet<string> DisabledProtocols => ParseProtocols(GetString("net.tls.disabledProtocols"));

    public bool AllowConnectionsWithoutCertificates => Get("net.tls.allowConnectionsWithoutCertificates")?.AsBoolean ?? false;

    public bool AllowInvalidCertificates => Get("net.tls.allowInvalidCertificates")?.AsBoolean ?? false;

    public string? ClusterAuthMode => GetString("security.clusterAuthMode");

    /// <summary>Access control is on with security.authorization enabled or a keyFile (which implies it).</summary>
    public bool AuthorizationEnabled =>
        GetString("security.authorization") == "enabled" || GetString("security.keyFile") is not null;

    public string? ReplSetName => GetString("replication.replSetName");

    /// <summary>storage.dbPath as given, or null (mongod's default /data/db is not assumed: the simulator then keeps state in memory).</summary>
    public string? DbPath => GetString("storage.dbPath");

    public bool RedactClientLogData => Get("security.redactClientLogData")?.AsBoolean ?? false;

    public string? AuditDestination => GetString("auditLog.destination");

    public string? AuditFormat => GetString("auditLog.format");

    public string? AuditPath => GetString("auditLog.path");

    public string? AuditFilter => GetString("auditLog.filter");

    public string ProfileMode => GetString("operationProfiling.mode") ?? "off";

    /// <summary>setParameter entries from the file, values as the strings mongod keeps them as.</summary>
    public IReadOnlyDictionary<string, string> SetParameters =>
        Parsed.TryGetValue("setParameter", out var sp)
            ? sp.AsBsonDocument.ToDictionary(e => e.Name, e => e.Value.AsString, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// What getCmdLineOpts.parsed and the startup audit event show: <see cref="Reported"/> with the redactable
    /// options reading "&lt;password&gt;" (censor_cmdline.cpp), string values and array elements alike, so a value
    /// an __exec block read from a Secret is never shown.
    /// </summary>
    public BsonDocument RedactedReport() => Redact(Reported.DeepClone().AsBsonDocument, "");

    private static BsonDocument Redact(BsonDocument doc, string prefix)
    {
        foreach (var e in doc.ToList())
        {
            var dotted = prefix + e.Name;
            if (e.Value is BsonDocument child)
            {
                Redact(child, dotted + ".");
            }
            else if (OptionSchema.Redacted.Contains(dotted))
            {
                doc[e.Name] = e.Value is BsonArray arr ? new BsonArray(arr.Select(_ => (BsonValue)"<password>")) : "<password>";
            }
        }

        return doc;
    }

    /// <summary>
    /// Reads and validates a mongod.conf file; throws <see cref="MongodConfigException"/> like mongod refuses.
    /// <paramref name="argv"/> is the whole command line (default: mongod --config PATH).
    /// </summary>
    public static MongodConfig Load(string path, SimulatorProfile profile, IReadOnlyList<string>? argv = null)
    {
        argv ??= ["mongod", "--config", path];
        CheckFileMode(path, ConfigExpand.FromArgv(argv));
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MongodConfigException($"Error reading config file: {e.Message}");
        }

        return Parse(text, profile, path, argv);
    }

    /// <summary>
    /// With --configExpand exec the config file must not be writable by anyone but its owner, and with rest not
    /// readable by anyone else (readConfigFile, checkFileOwnershipAndMode in options_parser.cpp). The owner check
    /// itself is not made: .NET exposes a file's mode but not its owner.
    /// </summary>
    public static void CheckFileMode(string path, ConfigExpand expand)
    {
        ArgumentNullException.ThrowIfNull(expand);
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if (expand.Rest && (mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            throw new MongodConfigException("When using --configExpand=rest, config file must be exclusively readable by current process user. File is readable by non-owner users");
        }

        if (expand.Exec && (mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
        {
            throw new MongodConfigException("When using --configExpand=exec, config file must be exclusively writable by current process user. File is writable by non-owner users");
        }
    }

    /// <summary>
    /// Parses YAML text; <paramref name="configPath"/> becomes parsed.config as mongod reports it. Expansion blocks
    /// run through <paramref name="exec"/> (default: <see cref="ShellExec.Run"/>) when argv enables them.
    /// </summary>
    public static MongodConfig Parse(string yaml, SimulatorProfile profile, string? configPath = null, IReadOnlyList<string>? argv = null,
        ExecRunner? exec = null)
    {
        argv ??= ["mongod"];
        var context = new ReadContext(profile, ConfigExpand.FromArgv(argv), exec ?? ShellExec.Run);
        var parsed = new BsonDocument();
        if (configPath is not null)
        {
            parsed["config"] = configPath;
        }

        var root = LoadRoot(yaml);
        foreach (var (key, value) in root.Children)
        {
            var name = Scalar(key);
            if (name == "setParameter")
            {
                parsed["setParameter"] = ReadSetParameters(value);
                continue;
            }

            Walk(parsed, name, value, context);
        }

        var config = new MongodConfig(parsed, argv);
        ConfigValidator.Validate(config, profile);
        return config;
    }

    /// <summary>The value at a dotted path, or null when the option was not given.</summary>
    public BsonValue? Get(string dotted)
    {
        BsonValue current = Parsed;
        foreach (var part in dotted.Split('.'))
        {
            if (current is not BsonDocument doc || !doc.TryGetValue(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    public string? GetString(string dotted) => Get(dotted) is { IsString: true } v ? v.AsString : null;

    internal static IReadOnlySet<string> ParseProtocols(string? value)
    {
        if (value is null)
        {
            return new HashSet<string>(StringComparer.Ordinal) { "TLS1_0" };
        }

        return value == "none"
            ? new HashSet<string>(StringComparer.Ordinal)
            : value.Split(',').ToHashSet(StringComparer.Ordinal);
    }

    private static YamlMappingNode LoadRoot(string yaml)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new MongodConfigException($"Error parsing YAML config file: {e.Message}");
        }

        if (stream.Documents.Count == 0)
        {
            return new YamlMappingNode();
        }

        return stream.Documents[0].RootNode as YamlMappingNode
            ?? throw new MongodConfigException("Error parsing YAML config file: the top level must be a map");
    }

    private sealed record ReadContext(SimulatorProfile Profile, ConfigExpand Expand, ExecRunner Exec);

    private static void Walk(BsonDocument parent, string dotted, YamlNode node, ReadContext context)
    {
        var canonical = Canonicalise(dotted);
        if (node is YamlMappingNode block && ConfigExpansion.IsExpansion(block))
        {
            // mongod expands a block before it looks the option up (addYAMLNodesToEnvironment), and the output is
            // then read as the value written in its place.
            node = new YamlScalarNode(ConfigExpansion.Expand(block, dotted, context.Expand, context.Exec));
        }

        if (OptionSchema.TryGet(canonical, out var type) && node is not YamlMappingNode)
        {
            if (context.Profile.Edition == Edition.Community && IsCommercial(canonical))
            {
                throw Unrecognized(dotted);
            }

            var value = Convert(dotted, canonical, node, type);
            SetPath(parent, canonical, value);
            return;
        }

        if (node is not YamlMappingNode map || !IsSectionPrefix(canonical))
        {
            throw Unrecognized(dotted);
        }

        foreach (var (key, child) in map.Children)
        {
            Walk(parent, $"{dotted}.{Scalar(key)}", child, context);
        }
    }

    private static bool IsCommercial(string canonical) =>
        OptionSchema.CommercialPrefixes.Any(p => canonical == p || canonical.StartsWith(p, StringComparison.Ordinal));

    private static bool IsSectionPrefix(string canonical) =>
        KnownSections.Contains(canonical, StringComparer.Ordinal)
        || canonical.StartsWith("systemLog.component", StringComparison.Ordinal)
        || canonical.StartsWith("storage.wiredTiger", StringComparison.Ordinal)
        || canonical.StartsWith("storage.inMemory", StringComparison.Ordinal);

    private static readonly string[] KnownSections =
    [
        "systemLog", "systemLog.component", "processManagement", "net", "net.tls", "net.ssl", "net.tls.clusterAuthX509",
        "net.unixDomainSocket", "net.compression", "security", "security.kmip", "security.vault", "security.ldap",
        "security.ldap.bind", "security.ldap.authz", "security.sasl", "storage", "storage.journal", "operationProfiling",
        "replication", "sharding", "auditLog",
    ];

    /// <summary>net.ssl.* is reported as net.tls.*, with TLS names for the mode ([W39]).</summary>
    private static string Canonicalise(string dotted)
    {
        if (!dotted.StartsWith("net.ssl.", StringComparison.Ordinal))
        {
            return dotted;
        }

        var leaf = dotted["net.ssl.".Length..];
        return "net.tls." + (SslToTlsName.TryGetValue(leaf, out var renamed) ? renamed : leaf);
    }

    private static BsonValue Convert(string dotted, string canonical, YamlNode node, OptionType type)
    {
        if (type == OptionType.StringList)
        {
            return node is YamlSequenceNode seq
                ? new BsonArray(seq.Children.Select(Scalar))
                : new BsonArray(Scalar(node).Split(','));
        }

        if (node is not YamlScalarNode)
        {
            throw new MongodConfigException($"Error parsing YAML config file: {dotted} must be a scalar");
        }

        var text = Scalar(node);
        return type switch
        {
            OptionType.Bool => ParseBool(dotted, text),
            OptionType.Int => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
                ? new BsonInt32(i)
                : throw BadValue(dotted, "int"),
            OptionType.Double => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? new BsonDouble(d)
                : throw BadValue(dotted, "double"),
            _ => canonical == "net.tls.mode" ? new BsonString(TlsModeName(text)) : new BsonString(text),
        };
    }

    private static string TlsModeName(string mode) => mode.Replace("SSL", "TLS", StringComparison.Ordinal);

    private static BsonBoolean ParseBool(string dotted, string text) => text switch
    {
        "true" => BsonBoolean.True,
        "false" => BsonBoolean.False,
        _ => throw BadValue(dotted, "bool"),
    };

    private static BsonDocument ReadSetParameters(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            throw new MongodConfigException("Error parsing YAML config file: setParameter must be a map");
        }

        var doc = new BsonDocument();
        foreach (var (k, v) in map.Children)
        {
            // mongod keeps setParameter values as strings (getCmdLineOpts shows "false", not false).
            doc[Scalar(k)] = v is YamlScalarNode ? Scalar(v) : throw new MongodConfigException(
                $"Error parsing YAML config file: setParameter.{Scalar(k)} must be a scalar");
        }

        return doc;
    }

    private static void SetPath(BsonDocument root, string dotted, BsonValue value)
    {
        var parts = dotted.Split('.');
        var doc = root;
        foreach (var part in parts[..^1])
        {
            if (!doc.TryGetValue(part, out var next))
            {
                next = new BsonDocument();
                doc[part] = next;
            }

            doc = next.AsBsonDocument;
        }

        doc[parts[^1]] = value;
    }

    private static string Scalar(YamlNode node) =>
        node is YamlScalarNode s ? s.Value ?? "" : throw new MongodConfigException("Error parsing YAML config file: expected a scalar");

    private static MongodConfigException Unrecognized(string dotted) =>
        new($"Unrecognized option: {dotted}\ntry 'mongod --help' for more information");

    private static MongodConfigException BadValue(string dotted, string type) =>
        new($"Error parsing option \"{dotted}\" as {type}");
}
