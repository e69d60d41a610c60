using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HipaaMongo.ApiMachinery.Protobuf;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Semantics;
using Microsoft.AspNetCore.Http;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>Reads request bodies by content type; bad ones are 400/415 as kube-apiserver answers.</summary>
public static class RequestBody
{
    const string AcceptedWrite = "application/json, application/yaml";

    /// <summary>Built-in kinds also take protobuf (kube-apiserver's legacy scheme serializers: json, yaml, protobuf).</summary>
    const string AcceptedBuiltinWrite = "application/json, application/yaml, application/vnd.kubernetes.protobuf";

    static string MediaType(HttpRequest req) =>
        (req.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();

    public static async Task<string> ReadTextAsync(HttpRequest req, CancellationToken ct)
    {
        using var reader = new StreamReader(req.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(ct);
    }

    /// <summary>A POST/PUT body: a JSON or YAML object, or (built-in kinds) a protobuf one kubectl's typed clients send.</summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest req, CancellationToken ct, bool builtin = false)
    {
        var media = MediaType(req);
        if (media == KubeProtobuf.MediaType && builtin)
        {
            return await ReadProtobufAsync(req, ct);
        }
        if (media is not ("application/json" or "application/yaml" or "*/*" or ""))
        {
            throw StatusException.UnsupportedMediaType(media, builtin ? AcceptedBuiltinWrite : AcceptedWrite);
        }
        var text = await ReadTextAsync(req, ct);
        var node = media == "application/yaml" ? ParseYaml(text) : ParseJson(text);
        return node as JsonObject ?? throw StatusException.BadRequest("the body of the request must be an object");
    }

    /// <summary>
    /// kubectl create (namespace, secret, configmap, serviceaccount, role, ...) and auth can-i send protobuf and never
    /// retry as JSON; the decoded object then takes the same path as a JSON body. Kinds this server cannot decode are
    /// 415, as kube-apiserver answers for a media type a resource does not take.
    /// </summary>
    static async Task<JsonObject> ReadProtobufAsync(HttpRequest req, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await req.Body.CopyToAsync(buffer, ct);
        try
        {
            return KubeProtobuf.Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length))
                ?? throw StatusException.UnsupportedMediaType(KubeProtobuf.MediaType, AcceptedWrite);
        }
        catch (ProtobufException e)
        {
            throw StatusException.BadRequest($"the body of the request could not be decoded: {e.Message}");
        }
    }

    /// <summary>A PATCH body and its kind, from the Content-Type.</summary>
    public static async Task<(PatchKind Kind, JsonNode? Patch)> ReadPatchAsync(HttpRequest req, CancellationToken ct)
    {
        var media = MediaType(req);
        PatchKind kind = media switch
        {
            "application/json-patch+json" => PatchKind.Json,
            "application/merge-patch+json" => PatchKind.Merge,
            "application/strategic-merge-patch+json" => PatchKind.Strategic,
            "application/apply-patch+yaml" or "application/apply-patch+cbor" => PatchKind.Apply,
            _ => throw new StatusException(415, "UnsupportedMediaType",
                $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json",
                new JsonObject()),
        };
        var text = await ReadTextAsync(req, ct);
        return (kind, kind == PatchKind.Apply ? ParseYaml(text) : ParseJson(text));
    }

    public static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { MaxDepth = 200 });
        }
        catch (JsonException e)
        {
            throw StatusException.BadRequest($"the body of the request could not be decoded: {e.Message}");
        }
    }

    /// <summary>YAML (a JSON superset) to JSON nodes; scalars keep YAML 1.1-ish typing (ints, bools, null).</summary>
    public static JsonNode? ParseYaml(string text)
    {
        if (text.TrimStart().StartsWith('{') || text.TrimStart().StartsWith('['))
        {
            return ParseJson(text);
        }
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode);
        }
        catch (YamlException e)
        {
            throw StatusException.BadRequest($"error converting YAML to JSON: {e.Message}");
        }
    }

    static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode m => new JsonObject(m.Children.Select(kv =>
            KeyValuePair.Create(((YamlScalarNode)kv.Key).Value ?? "", Convert(kv.Value)))),
        YamlSequenceNode s => new JsonArray([.. s.Children.Select(Convert)]),
        YamlScalarNode sc => Scalar(sc),
        _ => null,
    };

    static JsonValue? Scalar(YamlScalarNode sc)
    {
        var v = sc.Value ?? "";
        if (sc.Style is ScalarStyle.DoubleQuoted or ScalarStyle.SingleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(v);
        }
        if (v is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }
        if (v is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }
        if (v is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }
        if (long.TryParse(v, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var l))
        {
            return JsonValue.Create(l);
        }
        if (double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d)
            && v.Any(char.IsDigit))
        {
            return JsonValue.Create(d);
        }
        return JsonValue.Create(v);
    }
}
