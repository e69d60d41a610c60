using HipaaMongo.Kmip;
using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Encryption;

/// <summary>
/// A start with security.kmip.rotateMasterKey (<c>--kmipRotateMasterKey</c>), as both editions do it: the data
/// files' key (the key store) is re-wrapped under a new master key and mongod exits; the next start without the
/// option runs on the new key. Rules and sources (docs/mongod-simulator.md, "Master-key rotation"):
/// <list type="bullet">
/// <item>the current key is read whatever its state (PSMDB wiredtiger_kv_engine_encryption_key_test.cpp:
/// ReplacingExistingInactiveKey... IsOk); absent, the start is refused as any read of an absent key is;</item>
/// <item>the new key is security.kmip.keyIdentifier when given, read with its state checked: not Active is refused
/// ("Can't rotate master encryption key") when activateKeys is true, a Pre-Active key tolerated when activateKeys was
/// left to its default, anything when it is false (the same test file's ...EnabledActivation / ...DefaultedActivation /
/// ...DisabledActivation cases); without keyIdentifier a new key is created and activated as at a first start;</item>
/// <item>the data files then name the new key (WtKeyIds futureConfigured) and mongod exits with code 0 (PSMDB throws
/// MasterKeyRotationCompleted; Percona's package tests assert "Rotated master encryption key" and a shutdown with
/// exitCode 0; the MongoDB manual: "Upon successful completion of the master key rotation ... the mongod will exit").</item>
/// </list>
/// </summary>
internal static class MasterKeyRotation
{
    public const string Completed = "master key rotation finished successfully";

    /// <summary>Rotates and returns the new key id; every refusal is a <see cref="MongodConfigException"/> (exit 1).</summary>
    public static async Task<string> RotateAsync(KmipSettings settings, bool enterprise, string? configured, KmipConnector kmip,
        EncryptionLog log, CancellationToken ct)
    {
        // A first start has no key store yet: PSMDB creates it under a new key and then rotates it like any other
        // (wiredtiger_kv_engine.cpp: the just-created key DB is cloned into the rotation directory).
        var old = configured ?? await MasterKeyProvider.ObtainAsync(settings with { KeyIdentifier = null }, enterprise, null, kmip, log, ct);
        await MasterKeyProvider.ReadAsync(settings, old, kmip, log, checkState: false, ct);
        string created;
        if (settings.KeyIdentifier is { } provided)
        {
            await ReadNewAsync(settings, provided, kmip, log, ct);
            created = provided;
        }
        else
        {
            created = await MasterKeyProvider.CreateAsync(settings, enterprise, kmip, log, ct);
            log("I", 29116, "Master encryption key has been created on the key management facility",
                new BsonDocument { { "keyManagementFacilityType", MasterKeyProvider.Facility }, { "keyIdentifier", created } });
        }

        log("I", 29124, "Rotated master encryption key",
            new BsonDocument { { "oldMasterKeyId", old }, { "newMasterKeyId", created } });
        return created;
    }

    private static async Task ReadNewAsync(KmipSettings settings, string keyId, KmipConnector kmip, EncryptionLog log, CancellationToken ct)
    {
        var state = await MasterKeyProvider.StateAsync(keyId, kmip, log, ct);
        var attrs = new BsonDocument
        {
            { "keyManagementFacilityType", MasterKeyProvider.Facility },
            { "keyIdentifier", new BsonDocument("kmipKeyIdentifier", keyId) },
        };
        if (state is null)
        {
            throw Refuse(log, "Cannot start. Master encryption key is absent on the key management facility. Check configuration options.", attrs);
        }

        var tolerated = !settings.ActivateKeys || state == KeyState.Active || (settings.ActivateKeysDefaulted && state == KeyState.PreActive);
        if (!tolerated)
        {
            attrs["keyState"] = MasterKeyProvider.KeyStateName(state.Value);
            throw Refuse(log, "Master encryption key is not in the active state on the key management facility.", attrs);
        }
    }

    private static MongodConfigException Refuse(EncryptionLog log, string reason, BsonDocument attrs)
    {
        var error = new BsonDocument
        {
            { "what", "Can't rotate master encryption key" },
            { "reason", new BsonDocument { { "what", "key reading failed" }, { "reason", reason } }.AddRange(attrs) },
        };
        log("F", 29123, "Data-at-Rest Encryption Error", new BsonDocument("error", error));
        return new MongodConfigException($"Data-at-Rest Encryption Error: {error.ToJson()}", 1);
    }
}
