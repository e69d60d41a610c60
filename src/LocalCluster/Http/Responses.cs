using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>Writes JSON replies the way kube-apiserver does: compact, application/json.</summary>
public static class Responses
{
    public static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static string Serialize(JsonNode node) => node.ToJsonString(Compact);

    public static async Task WriteJsonAsync(HttpContext ctx, int code, JsonNode body, string contentType = "application/json")
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(Serialize(body));
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
    }

    public static Task WriteTextAsync(HttpContext ctx, int code, string text)
    {
        ctx.Response.StatusCode = code;
        ctx.Response.ContentType = "text/plain; charset=utf-8";
        return ctx.Response.WriteAsync(text, ctx.RequestAborted);
    }
}
