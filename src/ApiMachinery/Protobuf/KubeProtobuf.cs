using System.Text;
using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery.Protobuf;

/// <summary>
/// The body of `Content-Type: application/vnd.kubernetes.protobuf` (apimachinery/pkg/runtime/serializer/protobuf):
/// the 4-byte magic "k8s\0", then a runtime.Unknown {typeMeta=1 {apiVersion=1, kind=2}, raw=2, contentEncoding=3,
/// contentType=4} whose raw bytes are the object's own message. Decodes the kinds in <see cref="KubeMessages"/> into
/// the JSON object the same request would have carried as application/json.
/// </summary>
public static class KubeProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    static readonly byte[] Magic = "k8s\0"u8.ToArray();

    static readonly ProtoJsonDecoder Decoder = new(KubeMessages.Catalog);

    /// <summary>The envelope's apiVersion, kind and raw object bytes; throws <see cref="ProtobufException"/> if malformed.</summary>
    public static (string ApiVersion, string Kind, byte[] Raw) ReadEnvelope(ReadOnlySpan<byte> body)
    {
        if (body.Length < Magic.Length || !body[..Magic.Length].SequenceEqual(Magic))
        {
            throw new ProtobufException("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
        }
        string apiVersion = "", kind = "";
        var raw = Array.Empty<byte>();
        var reader = new ProtoReader(body[Magic.Length..]);
        while (!reader.AtEnd)
        {
            var (number, wire) = reader.ReadTag();
            if (wire != 2 || number is not (1 or 2))
            {
                reader.Skip(wire);
                continue;
            }
            var bytes = reader.ReadBytes();
            if (number == 2)
            {
                raw = bytes.ToArray();
                continue;
            }
            var typeMeta = new ProtoReader(bytes);
            while (!typeMeta.AtEnd)
            {
                var (field, fieldWire) = typeMeta.ReadTag();
                if (fieldWire == 2 && field is 1 or 2)
                {
                    var text = Encoding.UTF8.GetString(typeMeta.ReadBytes());
                    (apiVersion, kind) = field == 1 ? (text, kind) : (apiVersion, text);
                    continue;
                }
                typeMeta.Skip(fieldWire);
            }
        }
        return (apiVersion, kind, raw);
    }

    /// <summary>True when this decoder knows the kind's message.</summary>
    public static bool Supports(string apiVersion, string kind) => KubeMessages.Kinds.ContainsKey((apiVersion, kind));

    /// <summary>Decodes a whole body to JSON with apiVersion and kind set; null when the kind is not supported.</summary>
    public static JsonObject? Decode(ReadOnlySpan<byte> body)
    {
        var (apiVersion, kind, raw) = ReadEnvelope(body);
        if (!KubeMessages.Kinds.TryGetValue((apiVersion, kind), out var message))
        {
            return null;
        }
        var obj = new JsonObject { ["kind"] = kind, ["apiVersion"] = apiVersion };
        foreach (var (key, value) in Decoder.Decode(raw, message).ToList())
        {
            obj[key] = value?.DeepClone();
        }
        return obj;
    }
}
