using System.Text.Json;
using System.Text.Json.Serialization;
using HipaaMongo.Operator.KeyManagement;
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

    private static MemberVerification Digested(MemberVerification m) =>
        m.Parameters?.KmipKeyId is { Length: > 0 } id && !KeyIdDigest.IsDigest(id)
            ? m with { Parameters = m.Parameters with { KmipKeyId = Digest(id) } }
            : m;

    private static string Digest(string id) => KeyIdDigest.Of(id);
}
