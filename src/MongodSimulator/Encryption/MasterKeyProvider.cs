using System.Security.Cryptography;
using HipaaMongo.Kmip;
using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Encryption;

/// <summary>A start-up log line: severity (I, E, F), id, message, attributes.</summary>
public delegate void EncryptionLog(string severity, int id, string message, BsonDocument attributes);

/// <summary>
/// Obtains the master key at start-up as PSMDB's MasterKeyProvider and KmipKeyOperationFactory do
/// (src/mongo/db/encryption/master_key_provider.cpp, key_operations.cpp, kmip_client.cpp):
/// <list type="bullet">
/// <item>data files already encrypted with a key id and a different security.kmip.keyIdentifier: refuse (kNotEqualKeyIds, PSMDB-1129);</item>
/// <item>a key id (the data files' or the configured one): read it; absent, refuse ("Cannot start. Master encryption key is absent ...");
/// not Active, refuse ("... is not in the active state ...", with keyState; PSMDB-1283);</item>
/// <item>no key id: a new AES-256 key is registered (PSMDB registers its own random key; Enterprise asks the server to Create one),
/// activated when activateKeys is true, and logged (id 29116);</item>
/// <item>no server answers within connectRetries and connectTimeoutMS: refuse ("reading/saving the master key from/to the KMIP server failed").</item>
/// </list>
/// Every refusal is a <see cref="MongodConfigException"/> with mongod's words and exit code 1 (see docs/mongod-simulator.md).
/// </summary>
internal static class MasterKeyProvider
{
    public const string Facility = "KMIP server";

    private const string NotEqualKeyIds =
        "The provided (via the command line option or the configuration file) KMIP keyIdentifier is not equal to that the system is already "
        + "configured with. If it was intended to rotate the master key, please add the `--kmipRotateMasterKey` command line option or the "
        + "`security.kmip.rotateMasterKey` configuration file parameter. Otherwise, please omit the `--kmipMasterKeyId` command line option "
        + "and the `security.kmip.keyIdentifier` configuration parameter.";

    public static async Task<string> ObtainAsync(KmipSettings settings, bool enterprise, string? configured, KmipConnector kmip,
        EncryptionLog log, CancellationToken ct)
    {
        if (configured is not null && settings.KeyIdentifier is { } provided && provided != configured)
        {
            throw Refuse(log, NotEqualKeyIds, new BsonDocument { { "configured", configured }, { "provided", provided } });
        }

        if ((configured ?? settings.KeyIdentifier) is { } keyId)
        {
            await ReadAsync(settings, keyId, kmip, log, checkState: true, ct);
            return keyId;
        }

        var created = await CreateAsync(settings, enterprise, kmip, log, ct);
        log("I", 29116, "Master encryption key has been created on the key management facility",
            new BsonDocument { { "keyManagementFacilityType", Facility }, { "keyIdentifier", created } });
        return created;
    }

    /// <summary>Reads the key; absent refuses the start, and so does a state other than Active when <paramref name="checkState"/>
    /// and activateKeys (a rotation reads the current key whatever its state).</summary>
    internal static async Task ReadAsync(KmipSettings settings, string keyId, KmipConnector kmip, EncryptionLog log, bool checkState,
        CancellationToken ct)
    {
        var state = await StateAsync(keyId, kmip, log, ct);
        var attrs = new BsonDocument { { "keyManagementFacilityType", Facility }, { "keyIdentifier", keyId } };
        if (state is null)
        {
            throw Refuse(log, "Cannot start. Master encryption key is absent on the key management facility. Check configuration options.", attrs);
        }

        if (checkState && settings.ActivateKeys && state != KeyState.Active)
        {
            attrs["keyState"] = KeyStateName(state.Value);
            throw Refuse(log, "Master encryption key is not in the active state on the key management facility.", attrs);
        }

        log("I", 29115, "Master encryption key has been read from the key management facility.", attrs);
    }

    /// <summary>Get, then Get Attributes State; null when the server has no such key; no server answering refuses the start.</summary>
    internal static async Task<KeyState?> StateAsync(string keyId, KmipConnector kmip, EncryptionLog log, CancellationToken ct)
    {
        try
        {
            return await kmip.RunAsync(async client =>
            {
                try
                {
                    _ = await client.GetSymmetricKeyAsync(keyId, ct);
                    return (KeyState?)await client.GetStateAsync(keyId, ct);
                }
                catch (KmipException e) when (e.Reason == ResultReason.ItemNotFound)
                {
                    return null;
                }
            }, ct);
        }
        catch (Exception e) when (e is KmipUnreachableException or KmipException)
        {
            throw Refuse(log, $"reading the master key from the KMIP server failed: {e.Message}", []);
        }
    }

    internal static async Task<string> CreateAsync(KmipSettings settings, bool enterprise, KmipConnector kmip, EncryptionLog log, CancellationToken ct)
    {
        try
        {
            return await kmip.RunAsync(async client =>
            {
                var id = enterprise
                    ? await client.CreateAes256KeyAsync(cancellationToken: ct)
                    : await client.RegisterAesKeyAsync(RandomNumberGenerator.GetBytes(32), cancellationToken: ct);
                if (settings.ActivateKeys)
                {
                    await client.ActivateAsync(id, ct);
                }

                return id;
            }, ct);
        }
        catch (Exception e) when (e is KmipUnreachableException or KmipException)
        {
            throw Refuse(log, $"saving the master key to the KMIP server failed: {e.Message}", []);
        }
    }

    /// <summary>The KMIP 1.2 (3.22) state, named in lower case (the simulator's wording; PSMDB's toString(KeyState) was not read).</summary>
    public static string KeyStateName(KeyState state) => state switch
    {
        KeyState.PreActive => "pre-active",
        KeyState.Active => "active",
        KeyState.Deactivated => "deactivated",
        KeyState.Compromised => "compromised",
        KeyState.Destroyed => "destroyed",
        KeyState.DestroyedCompromised => "destroyed-compromised",
        _ => state.ToString(),
    };

    private static MongodConfigException Refuse(EncryptionLog log, string reason, BsonDocument attrs)
    {
        log("F", 29123, "Data-at-Rest Encryption Error", new BsonDocument("error", reason).AddRange(attrs));
        var details = attrs.ElementCount == 0 ? "" : " " + attrs.ToJson();
        return new MongodConfigException($"Data-at-Rest Encryption Error: {reason}{details}", 1);
    }
}
