using HipaaMongo.Kmip;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Encryption;

/// <summary>
/// PSMDB's KeyStateMonitor (src/mongo/db/encryption/master_key_provider.cpp): every keyStatePollingSeconds the
/// master key's State is read over KMIP. Active: nothing. Absent (29121) or not Active (29122): an error is logged
/// and the server shuts down with ExitCode::perconaDataAtRestEncryptionError (1001, src/mongo/util/exit_code.h).
/// No KMIP server answering: "Data-at-Rest Encryption Error" (29123) is logged and the next poll tries again; the
/// member keeps running.
/// </summary>
internal sealed class KeyStateMonitor
{
    public const int ExitCode = 1001;

    private readonly KmipConnector _kmip;
    private readonly string _keyId;
    private readonly EncryptionLog _log;

    public KeyStateMonitor(KmipConnector kmip, string keyId, EncryptionLog log)
    {
        _kmip = kmip;
        _keyId = keyId;
        _log = log;
    }

    /// <summary>Polls until the key is not Active (returns the exit code) or <paramref name="ct"/> ends it (returns null).</summary>
    public async Task<int?> RunAsync(TimeSpan period, TimeProvider clock, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(period, clock, ct);
                if (await PollOnceAsync(ct) is { } exit)
                {
                    return exit;
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>One poll: null while the key is Active or the server is unreachable, else the exit code.</summary>
    public async Task<int?> PollOnceAsync(CancellationToken ct)
    {
        KeyState? state;
        try
        {
            state = await _kmip.RunAsync(async client =>
            {
                try
                {
                    return (KeyState?)await client.GetStateAsync(_keyId, ct);
                }
                catch (KmipException e) when (e.Reason == ResultReason.ItemNotFound)
                {
                    return null;
                }
            }, ct);
        }
        catch (Exception e) when (e is KmipUnreachableException or KmipException)
        {
            _log("E", 29123, "Data-at-Rest Encryption Error", new BsonDocument("error", e.Message));
            return null;
        }

        var attrs = new BsonDocument { { "keyManagementFacilityType", MasterKeyProvider.Facility }, { "keyIdentifier", _keyId } };
        if (state == KeyState.Active)
        {
            return null;
        }

        if (state is null)
        {
            _log("E", 29121, "Master encryption key is absent on the key management facility.", attrs);
        }
        else
        {
            attrs["keyState"] = MasterKeyProvider.KeyStateName(state.Value);
            _log("E", 29122, "Master encryption key is not in the active state on the key management facility.", attrs);
        }

        return ExitCode;
    }
}
