namespace HipaaMongo.Kmip;

// The enumeration values this client uses (KMIP 1.2 specification, 9.1.3.2; the same values as PyKMIP's
// kmip/core/enums.py).

/// <summary>9.1.3.2.27 Operation.</summary>
public enum Operation : uint
{
    Create = 0x01,
    Register = 0x03,
    Locate = 0x08,
    Get = 0x0A,
    GetAttributes = 0x0B,
    Activate = 0x12,
    Revoke = 0x13,
    Destroy = 0x14,
}

/// <summary>9.1.3.2.12 Object Type.</summary>
public enum ObjectType : uint
{
    Certificate = 0x01,
    SymmetricKey = 0x02,
    PublicKey = 0x03,
    PrivateKey = 0x04,
    SplitKey = 0x05,
    Template = 0x06,
    SecretData = 0x07,
    OpaqueObject = 0x08,
}

/// <summary>9.1.3.2.13 Cryptographic Algorithm (the symmetric ones).</summary>
public enum CryptographicAlgorithm : uint
{
    Des = 0x01,
    TripleDes = 0x02,
    Aes = 0x03,
}

/// <summary>9.1.3.3.1 Cryptographic Usage Mask (bit mask).</summary>
[Flags]
public enum CryptographicUsageMask : int
{
    None = 0,
    Sign = 0x01,
    Verify = 0x02,
    Encrypt = 0x04,
    Decrypt = 0x08,
    WrapKey = 0x10,
    UnwrapKey = 0x20,
}

/// <summary>9.1.3.2.17 State (the key life cycle of 3.22).</summary>
public enum KeyState : uint
{
    PreActive = 0x01,
    Active = 0x02,
    Deactivated = 0x03,
    Compromised = 0x04,
    Destroyed = 0x05,
    DestroyedCompromised = 0x06,
}

/// <summary>9.1.3.2.28 Result Status.</summary>
public enum ResultStatus : uint
{
    Success = 0x00,
    OperationFailed = 0x01,
    OperationPending = 0x02,
    OperationUndone = 0x03,
}

/// <summary>9.1.3.2.29 Result Reason.</summary>
public enum ResultReason : uint
{
    ItemNotFound = 0x01,
    ResponseTooLarge = 0x02,
    AuthenticationNotSuccessful = 0x03,
    InvalidMessage = 0x04,
    OperationNotSupported = 0x05,
    MissingData = 0x06,
    InvalidField = 0x07,
    FeatureNotSupported = 0x08,
    OperationCanceledByRequester = 0x09,
    CryptographicFailure = 0x0A,
    IllegalOperation = 0x0B,
    PermissionDenied = 0x0C,
    ObjectArchived = 0x0D,
    IndexOutOfBounds = 0x0E,
    ApplicationNamespaceNotSupported = 0x0F,
    KeyFormatTypeNotSupported = 0x10,
    KeyCompressionTypeNotSupported = 0x11,
    GeneralFailure = 0x100,
}

/// <summary>9.1.3.2.3 Key Format Type (Raw is what a symmetric key travels as).</summary>
public enum KeyFormatType : uint
{
    Raw = 0x01,
    Opaque = 0x02,
    TransparentSymmetricKey = 0x07,
}

/// <summary>9.1.3.2.11 Name Type.</summary>
public enum NameType : uint
{
    UninterpretedTextString = 0x01,
    Uri = 0x02,
}

/// <summary>9.1.3.2.19 Revocation Reason Code.</summary>
public enum RevocationReasonCode : uint
{
    Unspecified = 0x01,
    KeyCompromise = 0x02,
    CaCompromise = 0x03,
    AffiliationChanged = 0x04,
    Superseded = 0x05,
    CessationOfOperation = 0x06,
    PrivilegeWithdrawn = 0x07,
}
