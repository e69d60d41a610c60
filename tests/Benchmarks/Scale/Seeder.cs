using System.Text.Json.Nodes;

namespace HipaaMongo.Benchmarks.Scale;

/// <summary>Creates the namespaces and ConfigMaps a scale run measures against.</summary>
public static class Seeder
{
    /// <summary>Concurrent creates in flight (what a busy controller fleet might send).</summary>
    public const int InFlight = 64;

    public const string WatchNamespace = "bench-watch";

    public const string FanOutName = "fanout";

    public static string NamespaceOf(ScaleProfile profile, int i)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return "bench-" + Math.Min(i / profile.PerNamespace, profile.Namespaces - 1);
    }

    public static async Task CreateNamespacesAsync(BenchHttp http, ScaleProfile profile, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(profile);
        var names = Enumerable.Range(0, profile.Namespaces).Select(n => "bench-" + n).Append(WatchNamespace);
        foreach (var name in names)
        {
            var body = new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } };
            await http.TimedSendAsync(HttpMethod.Post, "api/v1/namespaces", body.ToJsonString(), "application/json", ct);
        }
    }

    /// <summary>Creates profile.Objects ConfigMaps, <see cref="InFlight"/> at a time; each create's latency goes into the sample.</summary>
    public static async Task CreateConfigMapsAsync(BenchHttp http, ScaleProfile profile, Sample latencies, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(latencies);
        var results = new double[profile.Objects];
        var options = new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, profile.Objects), options, async (i, token) =>
        {
            var ns = NamespaceOf(profile, i);
            results[i] = await http.TimedSendAsync(HttpMethod.Post, $"api/v1/namespaces/{ns}/configmaps",
                ConfigMap(ns, "cm-" + i, i % 10).ToJsonString(), "application/json", token);
        });
        latencies.AddRange(results);
    }

    /// <summary>A ConfigMap of about 300 bytes, labelled app=bench and shard=0..9.</summary>
    public static JsonObject ConfigMap(string ns, string name, int shard) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = new JsonObject { ["app"] = "bench", ["shard"] = shard.ToString(System.Globalization.CultureInfo.InvariantCulture) },
        },
        ["data"] = new JsonObject { ["mongod.conf"] = "net:\n  tls:\n    mode: requireTLS\nsecurity:\n  authorization: enabled\n", ["round"] = "0" },
    };
}
