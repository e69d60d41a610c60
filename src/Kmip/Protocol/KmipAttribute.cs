using HipaaMongo.Kmip.Ttlv;

namespace HipaaMongo.Kmip;

/// <summary>
/// A KMIP 1.x attribute: its name as the specification spells it (3.x, e.g. "State") and its value, an item
/// tagged Attribute Value whose type follows from the attribute (KMIP 1.2 specification, 2.1.1).
/// </summary>
public sealed record KmipAttribute(string Name, TtlvItem Value)
{
    public static KmipAttribute ObjectName(string name) => new("Name", TtlvItem.Structure(Tag.AttributeValue,
        TtlvItem.Text(Tag.NameValue, name),
        TtlvItem.Enumeration(Tag.NameType, (uint)NameType.UninterpretedTextString)));

    public static KmipAttribute ObjectType(ObjectType type) => Enum("Object Type", (uint)type);

    public static KmipAttribute Algorithm(CryptographicAlgorithm algorithm) => Enum("Cryptographic Algorithm", (uint)algorithm);

    public static KmipAttribute Length(int bits) => new("Cryptographic Length", TtlvItem.Integer(Tag.AttributeValue, bits));

    public static KmipAttribute UsageMask(CryptographicUsageMask mask) =>
        new("Cryptographic Usage Mask", TtlvItem.Integer(Tag.AttributeValue, (int)mask));

    public static KmipAttribute State(KeyState state) => Enum("State", (uint)state);

    /// <summary>Encodes as 2.1.1: Attribute { Attribute Name, Attribute Value }.</summary>
    public TtlvItem ToTtlv() => TtlvItem.Structure(Tag.Attribute, TtlvItem.Text(Tag.AttributeName, Name), Value);

    /// <summary>Decodes an Attribute structure; a missing name or value is a <see cref="KmipException"/>.</summary>
    public static KmipAttribute FromTtlv(TtlvItem attribute)
    {
        if (attribute.Tag != Tag.Attribute || attribute.Type != ItemType.Structure)
        {
            throw new KmipException($"expected an Attribute structure, got {attribute}");
        }
        return new(attribute.Require(Tag.AttributeName).TextValue, attribute.Require(Tag.AttributeValue));
    }

    private static KmipAttribute Enum(string name, uint value) => new(name, TtlvItem.Enumeration(Tag.AttributeValue, value));
}
