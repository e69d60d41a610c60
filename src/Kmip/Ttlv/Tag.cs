namespace HipaaMongo.Kmip.Ttlv;

/// <summary>
/// The tags this client writes or reads (KMIP 1.2 specification, 9.1.3.1; the same values as PyKMIP's
/// kmip/core/enums.py Tags). A tag is three bytes; every standard tag starts with 0x42.
/// </summary>
public static class Tag
{
    public const int ActivationDate = 0x420001;
    public const int Attribute = 0x420008;
    public const int AttributeIndex = 0x420009;
    public const int AttributeName = 0x42000A;
    public const int AttributeValue = 0x42000B;
    public const int BatchCount = 0x42000D;
    public const int BatchItem = 0x42000F;
    public const int CompromiseOccurrenceDate = 0x420021;
    public const int CryptographicAlgorithm = 0x420028;
    public const int CryptographicLength = 0x42002A;
    public const int CryptographicUsageMask = 0x42002C;
    public const int KeyBlock = 0x420040;
    public const int KeyFormatType = 0x420042;
    public const int KeyMaterial = 0x420043;
    public const int KeyValue = 0x420045;
    public const int MaximumItems = 0x42004F;
    public const int Name = 0x420053;
    public const int NameType = 0x420054;
    public const int NameValue = 0x420055;
    public const int ObjectType = 0x420057;
    public const int Operation = 0x42005C;
    public const int ProtocolVersion = 0x420069;
    public const int ProtocolVersionMajor = 0x42006A;
    public const int ProtocolVersionMinor = 0x42006B;
    public const int RequestHeader = 0x420077;
    public const int RequestMessage = 0x420078;
    public const int RequestPayload = 0x420079;
    public const int ResponseHeader = 0x42007A;
    public const int ResponseMessage = 0x42007B;
    public const int ResponsePayload = 0x42007C;
    public const int ResultMessage = 0x42007D;
    public const int ResultReason = 0x42007E;
    public const int ResultStatus = 0x42007F;
    public const int RevocationMessage = 0x420080;
    public const int RevocationReason = 0x420081;
    public const int RevocationReasonCode = 0x420082;
    public const int State = 0x42008D;
    public const int SymmetricKey = 0x42008F;
    public const int TemplateAttribute = 0x420091;
    public const int TimeStamp = 0x420092;
    public const int UniqueIdentifier = 0x420094;

    /// <summary>The tag as the specification prints it, for error messages.</summary>
    public static string Format(int tag) => $"0x{tag:X6}";
}
