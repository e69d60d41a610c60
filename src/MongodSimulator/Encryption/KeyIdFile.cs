namespace HipaaMongo.MongodSimulator.Encryption;

/// <summary>
/// The KMIP key id the data files were encrypted with, kept in storage.dbPath as the encrypted storage engine keeps
/// it in its metadata (PSMDB key_id.cpp: KmipKeyId serialised to the storage engine encryption options as
/// {kmip: {keyId}}). Null without a dbPath or on a first start.
/// </summary>
internal static class KeyIdFile
{
    private const string Name = "simulator-kmip-key-id";

    public static string? Read(string? dbPath) =>
        dbPath is not null && File.Exists(Path.Combine(dbPath, Name)) ? File.ReadAllText(Path.Combine(dbPath, Name)) : null;

    public static void Write(string? dbPath, string keyId)
    {
        if (dbPath is not null && Directory.Exists(dbPath))
        {
            File.WriteAllText(Path.Combine(dbPath, Name), keyId);
        }
    }
}
