using System.Text;
using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery.Protobuf;

/// <summary>Decodes a protobuf message into the JSON object Go's encoding/json would print for the same Go struct.</summary>
public sealed class ProtoJsonDecoder(IReadOnlyDictionary<string, ProtoMessage> catalog)
{
    ProtoMessage Message(string name) =>
        catalog.TryGetValue(name, out var m) ? m : throw new ProtobufException($"no schema for message {name}");

    public JsonObject Decode(ReadOnlySpan<byte> bytes, string messageName)
    {
        var message = Message(messageName);
        var result = new JsonObject();
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (message.Field(number) is not { } field)
            {
                reader.Skip(wire);
                continue;
            }
            Read(ref reader, wire, field, result);
        }
        return result;
    }

    void Read(ref ProtoReader reader, int wire, ProtoField field, JsonObject into)
    {
        if (field.Type is ProtoType.StringMap or ProtoType.BytesMap)
        {
            Expect(wire, 2, field);
            var (key, value) = MapEntry(reader.ReadBytes(), field.Type == ProtoType.BytesMap);
            var map = into[field.Name] as JsonObject ?? new JsonObject();
            map[key] = value;
            into[field.Name] = map;
            return;
        }
        if (field.Type is ProtoType.Int or ProtoType.Bool && wire == 2)
        {
            // A packed repeated scalar: one length-delimited run of varints.
            var packed = new ProtoReader(reader.ReadBytes());
            while (!packed.AtEnd)
            {
                Store(into, field, Scalar(field, packed.ReadVarint()));
            }
            return;
        }
        Store(into, field, Value(ref reader, wire, field));
    }

    JsonNode? Value(ref ProtoReader reader, int wire, ProtoField field)
    {
        switch (field.Type)
        {
            case ProtoType.Int or ProtoType.Bool:
                Expect(wire, 0, field);
                return Scalar(field, reader.ReadVarint());
            case ProtoType.String:
                Expect(wire, 2, field);
                return Utf8(reader.ReadBytes(), field);
            case ProtoType.Bytes:
                Expect(wire, 2, field);
                return Convert.ToBase64String(reader.ReadBytes());
            case ProtoType.Time:
                Expect(wire, 2, field);
                return Time(reader.ReadBytes());
            case ProtoType.IntOrString:
                Expect(wire, 2, field);
                return IntOrString(reader.ReadBytes());
            default:
                Expect(wire, 2, field);
                var nested = Decode(reader.ReadBytes(), field.Message ?? throw new ProtobufException($"field {field.Name} names no message"));
                return field.Presence || field.Repeated || nested.Count > 0 ? nested : null;
        }
    }

    static JsonValue Scalar(ProtoField field, ulong raw) =>
        field.Type == ProtoType.Bool ? JsonValue.Create(raw != 0) : JsonValue.Create((long)raw);

    static void Expect(int wire, int expected, ProtoField field)
    {
        if (wire != expected)
        {
            throw new ProtobufException($"field {field.Name} has wire type {wire}, expected {expected}");
        }
    }

    static string Utf8(ReadOnlySpan<byte> bytes, ProtoField field)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new ProtobufException($"field {field.Name} is not valid UTF-8");
        }
    }

    /// <summary>Keeps what Go's JSON would print: repeated fields append; zero values of non-pointer fields are dropped.</summary>
    static void Store(JsonObject into, ProtoField field, JsonNode? value)
    {
        if (field.Repeated)
        {
            var list = into[field.Name] as JsonArray ?? [];
            list.Add(value);
            into[field.Name] = list;
            return;
        }
        if (value is null || (!field.Presence && IsZero(value)))
        {
            into.Remove(field.Name);
            return;
        }
        into[field.Name] = value;
    }

    static bool IsZero(JsonNode value) => value switch
    {
        JsonObject o => o.Count == 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<long>(out var l) => l == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        _ => false,
    };

    static (string Key, JsonNode Value) MapEntry(ReadOnlySpan<byte> bytes, bool bytesValue)
    {
        var key = "";
        JsonNode value = "";
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (number is 1 or 2 && wire == 2)
            {
                var raw = reader.ReadBytes();
                if (number == 1)
                {
                    key = Encoding.UTF8.GetString(raw);
                }
                else
                {
                    value = bytesValue ? Convert.ToBase64String(raw) : Encoding.UTF8.GetString(raw);
                }
                continue;
            }
            reader.Skip(wire);
        }
        return (key, value);
    }

    /// <summary>metav1.Time: null for the zero time, else RFC 3339 in UTC with whole seconds (metav1.Time.MarshalJSON).</summary>
    static JsonNode? Time(ReadOnlySpan<byte> bytes)
    {
        long seconds = 0;
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (number == 1 && wire == 0)
            {
                seconds = (long)reader.ReadVarint();
                continue;
            }
            reader.Skip(wire);
        }
        return seconds == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>intstr.IntOrString: type 0 is intVal, type 1 is strVal.</summary>
    static JsonNode IntOrString(ReadOnlySpan<byte> bytes)
    {
        long type = 0;
        long intVal = 0;
        var strVal = "";
        var reader = new ProtoReader(bytes);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            switch (number, wire)
            {
                case (1, 0):
                    type = (long)reader.ReadVarint();
                    break;
                case (2, 0):
                    intVal = (int)reader.ReadVarint();
                    break;
                case (3, 2):
                    strVal = Encoding.UTF8.GetString(reader.ReadBytes());
                    break;
                default:
                    reader.Skip(wire);
                    break;
            }
        }
        return type == 1 ? strVal : intVal;
    }
}
