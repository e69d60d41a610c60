using System.Security.Cryptography;
using System.Text;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// The file in the data volume that says a rotation request was carried out on this member, named by the hex of the
/// request's SHA-256 (shell-safe whatever the token), so a later start of the same pod does not rotate again.
/// </summary>
public static class MasterKeyRotationMarker
{
    public static string Path(string requestedAt)
    {
        ArgumentNullException.ThrowIfNull(requestedAt);
        return $"{MountPaths.DataDir}/.hipaa-mongo-key-rotated-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requestedAt)))[..16]}";
    }
}
