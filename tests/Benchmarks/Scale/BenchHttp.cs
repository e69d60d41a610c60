using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using k8s;

namespace HipaaMongo.Benchmarks.Scale;

/// <summary>
/// A bare HttpClient for the server under test: trusts only its CA, sends its token, one HTTP/1.1
/// connection per concurrent request (as many separate clients would). Raw HTTP rather than
/// KubernetesClient so the numbers are the server's and the wire's, not the client's model binding.
/// </summary>
public sealed class BenchHttp : IDisposable
{
    readonly HttpClient http;

    public BenchHttp(KubernetesClientConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ca = config.SslCaCerts?.Cast<X509Certificate2>().FirstOrDefault();
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, errors) => ca is null
                    ? errors == SslPolicyErrors.None
                    : cert is X509Certificate2 leaf && ChainsTo(leaf, ca),
            },
        };
        http = new HttpClient(handler)
        {
            BaseAddress = new Uri(config.Host!.TrimEnd('/') + "/"),
            Timeout = TimeSpan.FromMinutes(5),
            DefaultRequestVersion = HttpVersion.Version11,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);
    }

    /// <summary>GETs a path and reads the whole body; returns the elapsed milliseconds and the body.</summary>
    public async Task<(double Ms, byte[] Body)> TimedGetAsync(string path, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead, ct);
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await EnsureOkAsync(response, "GET " + path);
        return (ms, body);
    }

    /// <summary>Sends a JSON body with the given method and content type; returns elapsed milliseconds.</summary>
    public async Task<double> TimedSendAsync(HttpMethod method, string path, string json, string contentType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path)
        {
            Content = new StringContent(json, Encoding.UTF8, contentType),
        };
        var start = Stopwatch.GetTimestamp();
        using var response = await http.SendAsync(request, ct);
        var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        await EnsureOkAsync(response, method + " " + path);
        return ms;
    }

    /// <summary>Opens a streaming GET (a watch) and returns the response once headers arrive.</summary>
    public Task<HttpResponseMessage> OpenStreamAsync(string path, CancellationToken ct) =>
        http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);

    /// <summary>Counts the items of a Kubernetes list body (a correctness check on what was timed).</summary>
    public static int ItemCount(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("items", out var items) ? items.GetArrayLength() : -1;
    }

    public void Dispose() => http.Dispose();

    static async Task EnsureOkAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            throw new HttpRequestException($"{what} answered {(int)response.StatusCode}: {Truncate(body)}");
        }
    }

    static string Truncate(string s) => s.Length <= 300 ? s : s[..300] + "…";

    static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }
}
