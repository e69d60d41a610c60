using System.Security.Cryptography;
using System.Text;

namespace HipaaMongo.Operator.KeyManagement;

/// <summary>
/// A KMIP key id as the pass record stores it: key-management metadata is never stored in clear, so the record keeps
/// this digest. A digest is never an id a member reported.
/// </summary>
public static class KeyIdDigest
{
    private const string Prefix = "sha256:";

    public static string Of(string keyId) => Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keyId)));

    public static bool IsDigest(string? keyId) => keyId?.StartsWith(Prefix, StringComparison.Ordinal) == true;
}
