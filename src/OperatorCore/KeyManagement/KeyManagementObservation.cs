namespace HipaaMongo.Operator.KeyManagement;

/// <summary>
/// What the operator's own KMIP probe saw at <see cref="At"/>: the server that answered (null when none did), why
/// none did, and the KMIP State (KMIP 1.2 §3.22) of each key id the members report, read with Get Attributes.
/// A key id the server does not hold maps to <see cref="Absent"/>. Key ids are key-management metadata: they go to
/// status as the members report them, never into evidence (PassRecordCodec digests them).
/// </summary>
public sealed record KeyManagementObservation(
    DateTimeOffset At,
    IReadOnlyList<string> Servers,
    string? AnsweredBy,
    string? Failure,
    IReadOnlyDictionary<string, string> KeyStates)
{
    public const string Absent = "Absent";

    public bool Reachable => AnsweredBy is not null;

    /// <summary>The state read for a key id, or null when it was not read (server unreachable, id not asked).</summary>
    public string? StateOf(string keyId) => KeyStates.GetValueOrDefault(keyId);
}
