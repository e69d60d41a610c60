using System.Security.Cryptography;
using YamlDotNet.RepresentationModel;

namespace HipaaMongo.MongodSimulator.Config;

/// <summary>
/// An expansion block (<c>{__exec: cmd, type, trim, digest, digest_key}</c>) read as mongod's ConfigExpandNode and
/// runYAMLExpansion read it (src/mongo/util/options_parser/options_parser.cpp): a map holding __rest or __exec is an
/// expansion wherever a value may stand; the directive must be enabled by --configExpand; only type, trim, digest
/// and digest_key may accompany it; type yaml only at the top level; the output is trimmed when asked, checked
/// against the HMAC-SHA256 digest when given, and becomes the option's value, typed by the option.
/// </summary>
internal static class ConfigExpansion
{
    public static bool IsExpansion(YamlMappingNode map) =>
        map.Children.Keys.Any(k => k is YamlScalarNode { Value: "__exec" or "__rest" });

    /// <summary>The expanded text for the option at <paramref name="dotted"/>; throws MongodConfigException as mongod refuses.</summary>
    public static string Expand(YamlMappingNode map, string dotted, ConfigExpand expand, ExecRunner run)
    {
        var prefix = dotted + ".";
        var rest = Field(map, "__rest", prefix, expand.Rest);
        var exec = Field(map, "__exec", prefix, expand.Exec);
        if (rest is not null && exec is not null)
        {
            throw Bad("Must not specify both __rest and __exec in a single config expansion");
        }

        var name = exec is not null ? "__exec" : "__rest";
        var type = Field(map, "type", prefix, true);
        var trim = Field(map, "trim", prefix, true);
        var digest = Field(map, "digest", prefix, true);
        var digestKey = Field(map, "digest_key", prefix, true);
        var visited = 1 + new[] { type, trim, digest, digestKey }.Count(f => f is not null);
        if (type is not null and not ("string" or "yaml"))
        {
            throw Bad($"{prefix}type must be either 'string' or 'yaml'");
        }

        if (trim is not null and not ("none" or "whitespace"))
        {
            throw Bad($"{prefix}trim must be either 'whitespace' or 'none'");
        }

        if ((digest is null) != (digestKey is null))
        {
            throw Bad(digest is null ? $"{prefix}digest_key requires digest" : $"{prefix}digest requires digest_key");
        }

        if (map.Children.Count != visited)
        {
            throw Bad($"{dotted} expansion block must contain only '{name}', and optionally 'type', 'trim', and/or 'digest'/'digest_key' fields");
        }

        if (type == "yaml")
        {
            throw Bad("Specifying `type: yaml` is only permitted in top-level expansions");
        }

        if (exec is null)
        {
            // The simulator has no HTTP client for __rest; a config that enables it is refused rather than guessed at.
            throw Bad($"{prefix}__rest is not supported by the simulator");
        }

        string output;
        try
        {
            output = run(exec, expand.Timeout);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            throw Bad($"Failed expanding __exec section: {e.Message}");
        }

        var value = trim == "whitespace" ? output.Trim() : output;
        if (digest is not null)
        {
            CheckDigest(value, digest, digestKey!, prefix);
        }

        return value;
    }

    // mongod's getStringField: absent is fine; present but not enabled, or not a string, is refused.
    private static string? Field(YamlMappingNode map, string name, string prefix, bool allowed)
    {
        if (!map.Children.TryGetValue(new YamlScalarNode(name), out var node))
        {
            return null;
        }

        if (!allowed)
        {
            throw Bad($"{prefix}{name} support has not been enabled");
        }

        return node is YamlScalarNode s ? s.Value ?? "" : throw Bad($"{prefix}{name} must be a string");
    }

    private static void CheckDigest(string value, string digestHex, string keyHex, string prefix)
    {
        byte[] expected, key;
        try
        {
            expected = Convert.FromHexString(digestHex);
            key = Convert.FromHexString(keyHex);
        }
        catch (FormatException)
        {
            throw Bad($"{prefix}digest: Not a valid, even length hex string");
        }

        if (key.Length == 0)
        {
            throw Bad($"{prefix}digest_key must not be empty");
        }

        var computed = HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(value));
        if (!CryptographicOperations.FixedTimeEquals(computed, expected))
        {
            throw Bad($"SHA256HMAC of config expansion {Convert.ToHexStringLower(computed)} does not match expected digest: {digestHex.ToLowerInvariant()}");
        }
    }

    private static MongodConfigException Bad(string message) => new(message);
}
