namespace HipaaMongo.Kmip.Ttlv;

/// <summary>The TTLV item types (KMIP 1.2 specification, 9.1.1.2).</summary>
public enum ItemType : byte
{
    Structure = 0x01,
    Integer = 0x02,
    LongInteger = 0x03,
    BigInteger = 0x04,
    Enumeration = 0x05,
    Boolean = 0x06,
    TextString = 0x07,
    ByteString = 0x08,
    DateTime = 0x09,
    Interval = 0x0A,
}
