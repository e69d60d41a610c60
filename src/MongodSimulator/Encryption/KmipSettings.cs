using HipaaMongo.MongodSimulator.Config;

namespace HipaaMongo.MongodSimulator.Encryption;

/// <summary>
/// security.enableEncryption with security.kmip.*, read with both editions' defaults: port 5696, connectRetries 0,
/// connectTimeoutMS 5000, activateKeys true, keyStatePollingSeconds 900 (MongoDB manual, security.kmip options;
/// Percona's kmip.md, PSMDB-1241). Null when the config does not ask for a KMIP-held master key.
/// </summary>
public sealed record KmipSettings(
    IReadOnlyList<string> Servers,
    int Port,
    string? ServerCaFile,
    string? ClientCertificateFile,
    string? KeyIdentifier,
    bool ActivateKeys,
    int KeyStatePollingSeconds,
    int ConnectRetries,
    TimeSpan ConnectTimeout,
    string CipherMode,
    bool RotateMasterKey = false,
    bool ActivateKeysDefaulted = true)
{
    /// <summary>
    /// Rotation is asked for by security.kmip.rotateMasterKey or its command-line form <c>--kmipRotateMasterKey</c>
    /// (MongoDB manual "Rotate Encryption Keys"); whether activateKeys was left to its default matters to it.
    /// </summary>
    public static KmipSettings? From(MongodConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Get("security.enableEncryption")?.AsBoolean != true || config.GetString("security.kmip.serverName") is not { } names)
        {
            return null;
        }

        return new KmipSettings(
            [.. names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            Int(config, "security.kmip.port") ?? 5696,
            config.GetString("security.kmip.serverCAFile"),
            config.GetString("security.kmip.clientCertificateFile"),
            config.GetString("security.kmip.keyIdentifier") is { Length: > 0 } id ? id : null,
            config.Get("security.kmip.activateKeys")?.AsBoolean ?? true,
            Int(config, "security.kmip.keyStatePollingSeconds") ?? 900,
            Int(config, "security.kmip.connectRetries") ?? 0,
            TimeSpan.FromMilliseconds(Int(config, "security.kmip.connectTimeoutMS") ?? 5000),
            config.GetString("security.encryptionCipherMode") ?? "AES256-CBC",
            config.Get("security.kmip.rotateMasterKey")?.AsBoolean == true || config.Argv.Contains("--kmipRotateMasterKey"),
            config.Get("security.kmip.activateKeys") is null);
    }

    private static int? Int(MongodConfig config, string dotted) => config.Get(dotted) is { IsInt32: true } v ? v.AsInt32 : null;
}
