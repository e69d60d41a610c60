using HipaaMongo.Kmip.Ttlv;

namespace HipaaMongo.Kmip;

/// <summary>
/// The request payloads of the operations this client sends and the readers of their response payloads
/// (KMIP 1.2 specification, section 4). Pure.
/// </summary>
public static class KmipPayloads
{
    /// <summary>4.1 Create: a symmetric key with these attributes.</summary>
    public static TtlvItem Create(IEnumerable<KmipAttribute> attributes) => Payload(
        TtlvItem.Enumeration(Tag.ObjectType, (uint)ObjectType.SymmetricKey),
        TemplateAttribute(attributes));

    /// <summary>4.3 Register: a symmetric key given by its raw bytes.</summary>
    public static TtlvItem Register(ReadOnlySpan<byte> key, CryptographicAlgorithm algorithm, IEnumerable<KmipAttribute> attributes) => Payload(
        TtlvItem.Enumeration(Tag.ObjectType, (uint)ObjectType.SymmetricKey),
        TemplateAttribute(attributes),
        TtlvItem.Structure(Tag.SymmetricKey,
            TtlvItem.Structure(Tag.KeyBlock,
                TtlvItem.Enumeration(Tag.KeyFormatType, (uint)KeyFormatType.Raw),
                TtlvItem.Structure(Tag.KeyValue, TtlvItem.Bytes(Tag.KeyMaterial, key)),
                TtlvItem.Enumeration(Tag.CryptographicAlgorithm, (uint)algorithm),
                TtlvItem.Integer(Tag.CryptographicLength, key.Length * 8))));

    /// <summary>4.9 Locate: every object whose attributes match all of these.</summary>
    public static TtlvItem Locate(IEnumerable<KmipAttribute> filters, int? maximumItems = null) => Payload(
        (maximumItems is { } max ? [TtlvItem.Integer(Tag.MaximumItems, max)] : Array.Empty<TtlvItem>())
            .Concat(filters.Select(a => a.ToTtlv())));

    /// <summary>4.11 Get Attributes: the named attributes of one object (all of them when none is named).</summary>
    public static TtlvItem GetAttributes(string uniqueIdentifier, IEnumerable<string> names) => Payload(
        new[] { Uid(uniqueIdentifier) }.Concat(names.Select(n => TtlvItem.Text(Tag.AttributeName, n))));

    /// <summary>4.10 Get, 4.19 Activate, 4.21 Destroy: a payload of one Unique Identifier.</summary>
    public static TtlvItem ByIdentifier(string uniqueIdentifier) => Payload(Uid(uniqueIdentifier));

    /// <summary>4.20 Revoke: the reason, and for a compromise the date it happened.</summary>
    public static TtlvItem Revoke(string uniqueIdentifier, RevocationReasonCode code, string? message, DateTimeOffset? compromisedAt)
    {
        var reason = new List<TtlvItem> { TtlvItem.Enumeration(Tag.RevocationReasonCode, (uint)code) };
        if (message is not null)
        {
            reason.Add(TtlvItem.Text(Tag.RevocationMessage, message));
        }
        var items = new List<TtlvItem> { Uid(uniqueIdentifier), TtlvItem.Structure(Tag.RevocationReason, reason) };
        if (compromisedAt is { } date)
        {
            items.Add(TtlvItem.DateTime(Tag.CompromiseOccurrenceDate, date));
        }
        return Payload(items);
    }

    /// <summary>The Unique Identifier of a response payload (Create, Register, Activate, Revoke, Destroy, Get).</summary>
    public static string UniqueIdentifier(TtlvItem responsePayload) => responsePayload.Require(Tag.UniqueIdentifier).TextValue;

    /// <summary>Every Unique Identifier a Locate response lists (none is a valid answer).</summary>
    public static IReadOnlyList<string> Located(TtlvItem responsePayload) =>
        responsePayload.FindAll(Tag.UniqueIdentifier).Select(i => i.TextValue).ToList();

    /// <summary>The attributes of a Get Attributes response.</summary>
    public static IReadOnlyList<KmipAttribute> Attributes(TtlvItem responsePayload) =>
        responsePayload.FindAll(Tag.Attribute).Select(KmipAttribute.FromTtlv).ToList();

    /// <summary>The symmetric key of a Get response, in Raw or Transparent Symmetric Key format.</summary>
    public static SymmetricKey SymmetricKey(TtlvItem responsePayload)
    {
        var type = (ObjectType)responsePayload.Require(Tag.ObjectType).EnumValue;
        if (type != ObjectType.SymmetricKey)
        {
            throw new KmipException($"the object is a {type}, not a symmetric key");
        }
        var block = responsePayload.Require(Tag.SymmetricKey).Require(Tag.KeyBlock);
        var format = (KeyFormatType)block.Require(Tag.KeyFormatType).EnumValue;
        if (format is not (KeyFormatType.Raw or KeyFormatType.TransparentSymmetricKey))
        {
            throw new KmipException($"the key is in format {format}; this client reads Raw keys");
        }
        var value = block.Require(Tag.KeyValue);
        var material = value.Require(Tag.KeyMaterial);
        var bytes = material.Type == ItemType.Structure ? material.Require(Tag.KeyMaterial).BytesValue : material.BytesValue;
        return new SymmetricKey(
            UniqueIdentifier(responsePayload),
            (CryptographicAlgorithm)block.Require(Tag.CryptographicAlgorithm).EnumValue,
            block.Require(Tag.CryptographicLength).IntegerValue,
            bytes);
    }

    private static TtlvItem TemplateAttribute(IEnumerable<KmipAttribute> attributes) =>
        TtlvItem.Structure(Tag.TemplateAttribute, attributes.Select(a => a.ToTtlv()));

    private static TtlvItem Uid(string uniqueIdentifier) => TtlvItem.Text(Tag.UniqueIdentifier, uniqueIdentifier);

    private static TtlvItem Payload(params IEnumerable<TtlvItem> items) => TtlvItem.Structure(Tag.RequestPayload, items);
}

/// <summary>A symmetric key read with Get. <see cref="ToString"/> never shows the key material.</summary>
public sealed class SymmetricKey(string uniqueIdentifier, CryptographicAlgorithm algorithm, int lengthBits, byte[] material)
{
    public string UniqueIdentifier { get; } = uniqueIdentifier;

    public CryptographicAlgorithm Algorithm { get; } = algorithm;

    public int LengthBits { get; } = lengthBits;

    /// <summary>The key itself: a secret. A copy, so callers can clear theirs.</summary>
    public byte[] Material() => (byte[])material.Clone();

    public override string ToString() => $"{Algorithm}-{LengthBits} key {UniqueIdentifier}";
}
