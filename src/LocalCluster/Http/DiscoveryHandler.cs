using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>/version, /api, /apis (aggregated or legacy), group and group-version documents, OpenAPI v3.</summary>
public sealed class DiscoveryHandler(TypeRegistry registry, Func<string> serverAddress)
{
    public Task VersionAsync(HttpContext ctx) => Responses.WriteJsonAsync(ctx, 200, new JsonObject
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2024-12-11T00:00:00Z",
        ["goVersion"] = "go1.23.3",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    });

    static bool WantsAggregated(HttpRequest req)
    {
        var accept = req.Headers.Accept.ToString();
        var first = accept.Split(',')[0];
        return first.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal) && first.Contains("v=v2", StringComparison.Ordinal);
    }

    public async Task<bool> TryHandleAsync(HttpContext ctx, string path)
    {
        var trimmed = path.TrimEnd('/');
        var segs = trimmed.Trim('/').Split('/');
        var types = registry.All;
        JsonObject? doc = null;
        var contentType = "application/json";
        switch (trimmed)
        {
            case "/api" or "/apis" when WantsAggregated(ctx.Request):
                doc = Discovery.Aggregated(types, core: trimmed == "/api");
                contentType = Discovery.AggregatedContentType;
                break;
            case "/api":
                doc = Discovery.ApiVersions(serverAddress());
                break;
            case "/apis":
                doc = Discovery.GroupList(types);
                break;
            case "/api/v1":
                doc = Discovery.ResourceList(types, "", "v1");
                break;
            case "/openapi/v3":
                doc = OpenApi.Root(types);
                break;
            case "/openapi/v2":
                doc = AcceptsJson(ctx.Request.Headers.Accept.ToString())
                    ? OpenApiV2.Document(types)
                    : throw new StatusException(406, "NotAcceptable",
                        "only the following media types are accepted: application/json", new JsonObject());
                break;
            default:
                if (segs.Length == 2 && segs[0] == "apis")
                {
                    doc = Discovery.Group(types, segs[1]) ?? throw StatusException.ResourceNotFound();
                }
                else if (segs.Length == 3 && segs[0] == "apis")
                {
                    doc = Discovery.ResourceList(types, segs[1], segs[2]) ?? throw StatusException.ResourceNotFound();
                }
                else if (segs.Length >= 4 && segs[0] == "openapi" && segs[1] == "v3")
                {
                    doc = OpenApiDocument(types, segs[2..]) ?? throw StatusException.ResourceNotFound();
                }
                break;
        }
        if (doc is null)
        {
            return false;
        }
        await Responses.WriteJsonAsync(ctx, 200, doc, contentType);
        return true;
    }

    /// <summary>No Accept, */*, or any application/json variant; kubectl's protobuf-only Accept is not served.</summary>
    static bool AcceptsJson(string accept) =>
        accept.Length == 0 || accept.Split(',').Select(a => a.Split(';')[0].Trim()).Any(a => a is "application/json" or "*/*" or "application/*");

    static JsonObject? OpenApiDocument(IReadOnlyList<ResourceType> types, string[] rest) => rest switch
    {
        ["api", var v] => OpenApi.Document(types, "", v),
        ["apis", var g, var v] => OpenApi.Document(types, g, v),
        _ => null,
    };
}
