namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Encryption at rest with an external key (164.312(a)(2)(iv), (c)(1), 164.310(d); CIS 4.5).</summary>
internal static class EncryptionChecks
{
    public static Finding EncryptionAtRestIsDisabled(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("enableEncryption", p.EncryptionEnabled, o.Desired.Value("security.enableEncryption"), at));

    public static Finding CipherIsNotAuthenticated(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("encryptionCipherMode", p.EncryptionCipherMode, o.Desired.Value("security.encryptionCipherMode"), at));

    // The key id is key-management metadata; it is never written into evidence.
    public static Finding MasterKeyIsNotHeldByKmip(Observation o) =>
        MemberCheck.Over(o, (p, at) =>
        {
            var declared = o.Desired.Value("security.kmip.keyIdentifier") as string;
            return p.KmipKeyId switch
            {
                null => Finding.Unknown("the KMIP key id was not read", at),
                "" => Finding.Fail("no KMIP-held master key is in use", at),
                var id when declared is { Length: > 0 } && id != declared =>
                    Finding.Fail("the KMIP key in use is not the declared key", at),
                _ => Finding.Pass("the master key is held by the KMIP server", at),
            };
        });
}
