using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HipaaMongo.Operator.Reporting;

/// <summary>
/// The JSON the operator stores under <see cref="EvidenceRecord.DataKey"/> and `hipaa-mongo report` reads.
/// Compact, fields in a fixed order, versioned. Serialize keeps the newest <see cref="EvidenceRecord.MaxCorrections"/>
/// corrections and then drops the oldest until the UTF-8 text fits <see cref="MaxBytes"/>, so the ConfigMap
/// (1 MiB limit) can always be written. Deserialize throws FormatException with a clear message on anything
/// it cannot read, including control or check ids this build does not know.
/// </summary>
public static class EvidenceRecordCodec
{
    public const int Version = 1;

    /// <summary>Half the 1 MiB ConfigMap limit: room for the object's metadata and a safety margin.</summary>
    public const int MaxBytes = 512 * 1024;

    // A ConfigMap value is at most 1 MiB; anything far larger is not a record and is not parsed.
    private const int MaxInputChars = 2 * 1024 * 1024;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = false,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Serialize(EvidenceRecord record)
    {
        var document = EvidenceRecordWrite.ToDocument(record, Version);
        var json = Write(document);
        return Size(json) <= MaxBytes ? json : Write(Fit(document));
    }

    public static EvidenceRecord Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxInputChars)
        {
            throw new FormatException($"evidence record is {json.Length} characters; a ConfigMap value is at most 1 MiB");
        }

        CheckVersion(json);
        EvidenceRecordDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<EvidenceRecordDocument>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"not an evidence record: {e.Message}", e);
        }

        return EvidenceRecordRead.FromDocument(document ?? throw new FormatException("not an evidence record: the document is null"));
    }

    // The version is read first and alone, so a newer record gets "upgrade" rather than a field error.
    private static void CheckVersion(string json)
    {
        int version;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("version", out var v)
                || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out version))
            {
                throw new FormatException("not an evidence record: no integer \"version\" field");
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"not an evidence record: {e.Message}", e);
        }

        if (version > Version)
        {
            throw new FormatException(
                $"evidence record format version {version} is newer than this hipaa-mongo reads ({Version}); use a newer hipaa-mongo");
        }

        if (version < 1)
        {
            throw new FormatException($"evidence record format version {version} is not valid");
        }
    }

    // Keeps the largest number of newest corrections that fits (binary search over the kept count).
    private static EvidenceRecordDocument Fit(EvidenceRecordDocument document)
    {
        var all = document.Corrections;
        int low = 0, high = all.Count;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Size(Write(document with { Corrections = [.. all.Skip(all.Count - mid)] })) <= MaxBytes)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        var fitted = document with { Corrections = [.. all.Skip(all.Count - low)] };
        // Unreachable with the text and list caps (a test writes the worst case); a bug, not bad input.
        return Size(Write(fitted)) <= MaxBytes ? fitted
            : throw new InvalidOperationException($"evidence record exceeds {MaxBytes} bytes even without corrections");
    }

    private static string Write(EvidenceRecordDocument document) => JsonSerializer.Serialize(document, Options);

    private static int Size(string json) => Encoding.UTF8.GetByteCount(json);
}
