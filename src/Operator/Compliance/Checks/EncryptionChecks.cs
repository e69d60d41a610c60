namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Encryption at rest with an external key (164.312(a)(2)(iv), (c)(1), 164.310(d); CIS 4.5).</summary>
internal static class EncryptionChecks
{
    public static Finding EncryptionAtRestIsDisabled(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("enableEncryption", p.EncryptionEnabled, o.Desired.Value("security.enableEncryption"), at));

    public static Finding CipherIsNotAuthenticated(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("encryptionCipherMode", p.EncryptionCipherMode, o.Desired.Value("security.encryptionCipherMode"), at));

    // Only the key id the member reports proves custody; the configuration never does. The id is key-management
    // metadata and is never written into evidence.
    public static Finding MasterKeyIsNotHeldByKmip(Observation o) =>
        MemberCheck.Over(o, (p, at) =>
        {
            var declared = o.Desired.Value("security.kmip.keyIdentifier") as string;
            return p.KmipKeyId switch
            {
                null => Finding.Unknown("the member does not report the master key it holds (serverStatus.encryptionAtRest is absent: "
                    + "MongoDB Enterprise, or PSMDB before 8.0.12-4), and the KMIP server was not asked; the configuration alone does not prove custody", at),
                "" => Finding.Fail("the member holds no KMIP master key (encryption off, a local key file, or no KMIP server)", at),
                var id when declared is { Length: > 0 } && id != declared =>
                    Finding.Fail("the member reports a KMIP key that is not the declared key", at),
                _ when declared is { Length: > 0 } => Finding.Pass("serverStatus.encryptionAtRest reports the declared KMIP key as the master key", at),
                _ => Finding.Pass("serverStatus.encryptionAtRest reports an external (KMIP) master key", at),
            };
        });
}
