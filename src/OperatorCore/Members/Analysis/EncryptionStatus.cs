using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>Where the master key comes from, as serverStatus.encryptionAtRest.encryptionKeyId says.</summary>
internal enum KeySource
{
    NotRead,
    LocalKeyFile,
    External,
}

/// <summary>
/// Percona's serverStatus.encryptionAtRest (PSMDB 8.0.12-4+, PSMDB-1633; secure-baseline.md 3.2, 3.5):
/// {encryptionEnabled: bool, encryptionCipherMode: string, encryptionKeyId: "local" | &lt;KMIP/Vault id, scalar or
/// document&gt; | null}. Absent on older builds and on Enterprise: then nothing is read and nothing is drift.
/// </summary>
/// <remarks>
/// ExternalKeyId is the id the member reports for an external key (a string, a number's text, or a document's
/// "keyId" string or else its JSON). It is compared with the declared key id and never shown.
/// </remarks>
internal sealed record EncryptionStatus(bool? Enabled, string? CipherMode, KeySource Key, string? ExternalKeyId = null)
{
    private const string Why = "only a restart with the rendered configuration, with data re-synced into an encrypted member, changes it";

    public static EncryptionStatus Read(BsonDocument? serverStatus)
    {
        if (BsonRead.Document(BsonRead.At(serverStatus, "encryptionAtRest")) is not { } section)
        {
            return new(null, null, KeySource.NotRead);
        }

        var id = section.GetValue("encryptionKeyId", BsonNull.Value);
        var key = id switch
        {
            BsonString { Value: "local" } => KeySource.LocalKeyFile,
            BsonString { Value.Length: > 0 } or BsonDocument or BsonInt32 or BsonInt64 => KeySource.External,
            _ => KeySource.NotRead,
        };
        var external = key == KeySource.External ? KeyIdText(id) : null;
        return new(BsonRead.Bool(BsonRead.At(section, "encryptionEnabled")), BsonRead.String(BsonRead.At(section, "encryptionCipherMode")), key, external);
    }

    private static string KeyIdText(BsonValue id) => id switch
    {
        BsonString s => s.Value,
        // PSMDB's KmipKeyId::serializeToServerStatus writes {kmip: {keyId}} (key_id.cpp); {keyId} is accepted too.
        BsonDocument d when BsonRead.String(BsonRead.At(d, "kmip.keyId")) is { } kmipKeyId => kmipKeyId,
        BsonDocument d when BsonRead.String(BsonRead.At(d, "keyId")) is { } keyId => keyId,
        BsonDocument d => d.ToJson(),
        _ => id.ToString() ?? "",
    };

    /// <summary>Drift sentences. The key id is key-management metadata and never appears: only "a local key file" or "an external key".</summary>
    public IEnumerable<string> Sentences(object? renderedCipher)
    {
        if (Enabled == false)
        {
            yield return $"serverStatus.encryptionAtRest reports encryption at rest off; the baseline requires it on ({Why})";
            yield break;
        }

        if (Enabled == true && Key == KeySource.LocalKeyFile)
        {
            yield return $"serverStatus.encryptionAtRest reports a local key file as the master key; the baseline requires an external key (KMIP) ({Why})";
        }

        if (Enabled == true && CipherMode is { } mode && renderedCipher is string desired && mode != desired)
        {
            yield return $"serverStatus.encryptionAtRest reports cipher mode {ShownValue.Of("security.encryptionCipherMode", mode)}; "
                + $"the baseline requires {ShownValue.Of("security.encryptionCipherMode", desired)} ({Why})";
        }
    }
}
