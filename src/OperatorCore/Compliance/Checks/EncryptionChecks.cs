namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Encryption at rest with an external key (164.312(a)(2)(iv), (c)(1), 164.310(d); CIS 4.5).</summary>
internal static class EncryptionChecks
{
    public static Finding EncryptionAtRestIsDisabled(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("enableEncryption", p.EncryptionEnabled, o.Desired.Value("security.enableEncryption"), at));

    public static Finding CipherIsNotAuthenticated(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("encryptionCipherMode", p.EncryptionCipherMode, o.Desired.Value("security.encryptionCipherMode"), at));

    // Custody is proven by two observations, never by the configuration: the key id the member reports it runs with,
    // and the KMIP server saying that key is Active (the operator's own Get Attributes). The id is key-management
    // metadata and is never written into evidence.
    public static Finding MasterKeyIsNotHeldByKmip(Observation o) =>
        MemberCheck.Over(o, (p, at) =>
        {
            var declared = o.Desired.Value("security.kmip.keyIdentifier") as string;
            return p.KmipKeyId switch
            {
                null => Finding.Unknown("the member does not report the master key it holds: MongoDB Enterprise reports no KMIP key id "
                    + "at run time (no serverStatus.encryptionAtRest; getCmdLineOpts shows only a configured keyIdentifier), nor does "
                    + "PSMDB before 8.0.12-4; the configuration alone does not prove custody", at),
                "" => Finding.Fail("the member holds no KMIP master key (encryption off, a local key file, or no KMIP server)", at),
                var id when declared is { Length: > 0 } && id != declared =>
                    Finding.Fail("the member reports a KMIP key that is not the declared key", at),
                _ => KeyState(p.KmipKeyState, declared is { Length: > 0 }, at),
            };
        });

    private static Finding KeyState(string? state, bool declared, DateTimeOffset? at) => state switch
    {
        null => Finding.Unknown("the member reports its KMIP master key, but the KMIP server was not read (unreachable, or not "
            + "asked in this verification): custody is not proven without the server's word", at),
        "Active" => Finding.Pass(declared
            ? "the member reports the declared KMIP key as its master key, and the KMIP server holds it Active"
            : "the member reports a KMIP master key, and the KMIP server holds it Active", at),
        "Absent" => Finding.Fail("the KMIP server does not hold the master key the member reports", at),
        var other => Finding.Fail($"the KMIP server holds the member's master key in state {other}, not Active", at),
    };
}
