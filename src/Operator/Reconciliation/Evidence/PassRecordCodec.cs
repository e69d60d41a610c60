using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HipaaMongo.Operator.Members;

namespace HipaaMongo.Operator.Reconciliation.Evidence;

/// <summary>
/// Pure JSON of a <see cref="PassRecord"/>. The KMIP key id a member reports is key-management metadata, never
/// stored in clear: <see cref="Serialize"/> keeps its SHA-256 digest and <see cref="Restore"/> maps the digest of the
/// declared key back to the declared key (so the custody check gives the same outcome as on the live read). A text
/// it cannot read gives null: the next pass then starts as the first one did (verifies, announces nothing old).
/// </summary>
public static class PassRecordCodec
{
    private const string DigestPrefix = "sha256:";

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    public static string Serialize(PassRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var stored = record.Verification is { } v
            ? record with { Verification = v with { Members = [.. v.Members.Select(Digested)] } }
            : record;
        return JsonSerializer.Serialize(stored, Options);
    }

    public static PassRecord? Deserialize(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<PassRecord>(json, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The stored members with the declared KMIP key id restored from its digest.</summary>
    public static IReadOnlyList<MemberVerification> Restore(IReadOnlyList<MemberVerification> stored, string? declaredKeyId)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return [.. stored.Select(m => m.Parameters?.KmipKeyId is { } digest && declaredKeyId is { Length: > 0 } declared && digest == Digest(declared)
            ? m with { Parameters = m.Parameters with { KmipKeyId = declared } }
            : m)];
    }

    /// <summary>Whether a key id is the stored digest of one (a stored verification's), not the id a member reported.</summary>
    public static bool IsDigest(string? keyId) => keyId?.StartsWith(DigestPrefix, StringComparison.Ordinal) == true;

    private static MemberVerification Digested(MemberVerification m) =>
        m.Parameters?.KmipKeyId is { Length: > 0 } id && !id.StartsWith(DigestPrefix, StringComparison.Ordinal)
            ? m with { Parameters = m.Parameters with { KmipKeyId = Digest(id) } }
            : m;

    private static string Digest(string id) =>
        DigestPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
}
