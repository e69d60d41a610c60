using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Hosting;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>An HttpClient that trusts the server's CA and sends its token (reads the kubeconfig the server wrote).</summary>
public static class RawHttp
{
    public static HttpClient Create(LocalClusterServer server)
    {
        var ca = X509Certificate2.CreateFromPem(server.CaPem!);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return cert is not null && chain.Build(cert);
            },
        };
        var client = new HttpClient(handler) { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        var token = server.KubeconfigYaml.Split('\n').Single(l => l.Trim().StartsWith("token:", StringComparison.Ordinal)).Trim()[6..].Trim();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public static async Task<(int Code, JsonNode? Body)> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var req = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            req.Content = new StringContent(body, Encoding.UTF8);
            req.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        using var resp = await http.SendAsync(req);
        var text = await resp.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            json = JsonValue.Create(text);
        }
        return ((int)resp.StatusCode, json);
    }
}
