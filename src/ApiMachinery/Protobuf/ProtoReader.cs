namespace HipaaMongo.ApiMachinery.Protobuf;

/// <summary>Thrown for bytes that are not a well-formed protobuf message of the expected shape.</summary>
public sealed class ProtobufException(string message) : Exception(message);

/// <summary>The protobuf wire format (protobuf.dev/programming-guides/encoding): varints, tags, length-delimited fields.</summary>
public ref struct ProtoReader(ReadOnlySpan<byte> data)
{
    readonly ReadOnlySpan<byte> data = data;
    int position;

    public readonly bool AtEnd => position >= data.Length;

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new ProtobufException("truncated varint");
            }
            var b = data[position++];
            result |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new ProtobufException("varint longer than 10 bytes");
    }

    /// <summary>The next field's number and wire type (0 varint, 1 fixed64, 2 length-delimited, 5 fixed32).</summary>
    public (int Field, int WireType) ReadTag()
    {
        var tag = ReadVarint();
        var field = tag >> 3;
        if (field is 0 or > int.MaxValue)
        {
            throw new ProtobufException($"invalid field number {field}");
        }
        return ((int)field, (int)(tag & 7));
    }

    public ReadOnlySpan<byte> ReadBytes()
    {
        var length = ReadVarint();
        if (length > (ulong)(data.Length - position))
        {
            throw new ProtobufException("length-delimited field runs past the end of the message");
        }
        var slice = data.Slice(position, (int)length);
        position += (int)length;
        return slice;
    }

    /// <summary>Skips a field this decoder does not know (gogo-generated Unmarshal skips unknown fields too).</summary>
    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                ReadBytes();
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw new ProtobufException($"unsupported wire type {wireType}");
        }
    }

    void Advance(int count)
    {
        if (position + count > data.Length)
        {
            throw new ProtobufException("truncated fixed-width field");
        }
        position += count;
    }
}
