using HipaaMongo.Kmip.Ttlv;

namespace HipaaMongo.Kmip;

/// <summary>
/// Request and response messages of one batch item (KMIP 1.2 specification, 7.1 and 7.2). Pure: building a
/// request and reading a response need no I/O, so both are tested on byte vectors.
/// </summary>
public static class KmipMessages
{
    public static TtlvItem Request(KmipVersion version, Operation operation, TtlvItem payload) =>
        TtlvItem.Structure(Tag.RequestMessage,
            TtlvItem.Structure(Tag.RequestHeader,
                version.ToTtlv(),
                TtlvItem.Integer(Tag.BatchCount, 1)),
            TtlvItem.Structure(Tag.BatchItem,
                TtlvItem.Enumeration(Tag.Operation, (uint)operation),
                payload));

    /// <summary>
    /// The Response Payload of the single batch item, after checking that this is a response to
    /// <paramref name="operation"/> and that it succeeded; a failure becomes a <see cref="KmipException"/> with
    /// the server's Result Reason and Result Message.
    /// </summary>
    public static TtlvItem ResponsePayload(TtlvItem response, Operation operation)
    {
        if (response.Tag != Tag.ResponseMessage || response.Type != ItemType.Structure)
        {
            throw new KmipException($"expected a KMIP Response Message, got {response}");
        }
        response.Require(Tag.ResponseHeader);
        var items = response.FindAll(Tag.BatchItem).ToList();
        if (items.Count != 1)
        {
            throw new KmipException($"expected one batch item in the response to {operation}, got {items.Count}");
        }
        var item = items[0];
        var answered = item.Find(Tag.Operation)?.EnumValue;
        if (answered is { } op && op != (uint)operation)
        {
            throw new KmipException($"the server answered operation {op} to a {operation} request");
        }
        CheckResult(item, operation);
        return item.Find(Tag.ResponsePayload)
            ?? throw new KmipException($"the response to {operation} has no Response Payload");
    }

    private static void CheckResult(TtlvItem item, Operation operation)
    {
        var status = (ResultStatus)item.Require(Tag.ResultStatus).EnumValue;
        if (status == ResultStatus.Success)
        {
            return;
        }
        var reason = item.Find(Tag.ResultReason) is { } r ? (ResultReason)r.EnumValue : ResultReason.GeneralFailure;
        var message = item.Find(Tag.ResultMessage)?.TextValue;
        throw new KmipException($"KMIP {operation} failed ({status})", reason, message);
    }
}

/// <summary>The protocol version sent in each request header (6.1). PyKMIP serves 1.0 to 2.0.</summary>
public readonly record struct KmipVersion(int Major, int Minor)
{
    /// <summary>KMIP 1.2: what mongod sends unless told to use the legacy 1.0 protocol.</summary>
    public static readonly KmipVersion Version12 = new(1, 2);

    public TtlvItem ToTtlv() => TtlvItem.Structure(Tag.ProtocolVersion,
        TtlvItem.Integer(Tag.ProtocolVersionMajor, Major),
        TtlvItem.Integer(Tag.ProtocolVersionMinor, Minor));

    public override string ToString() => $"{Major}.{Minor}";
}
