using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using HipaaMongo.Benchmarks.Scale;

namespace HipaaMongo.Benchmarks.Drift;

/// <summary>
/// The harness's own watch on every NetworkPolicy (list, then watch from the list's resourceVersion, so no event
/// is missed). It keeps the set of names that exist and completes an armed waiter when its policy is ADDED again:
/// the correction is timed from a watch event, never by polling the API.
/// </summary>
public sealed class PolicyWatch : IAsyncDisposable
{
    const string Path = "apis/networking.k8s.io/v1/networkpolicies";

    readonly ConcurrentDictionary<string, bool> present = new();
    readonly ConcurrentDictionary<string, TaskCompletionSource<long>> waiters = new();
    readonly CancellationTokenSource stop = new();
    Task reader = Task.CompletedTask;

    PolicyWatch()
    {
    }

    public int Count => present.Count;

    public bool Exists(string ns, string name) => present.ContainsKey(Key(ns, name));

    public static async Task<PolicyWatch> OpenAsync(BenchHttp http, CancellationToken ct)
    {
        var watch = new PolicyWatch();
        var (_, body) = await http.TimedGetAsync(Path, ct);
        using (var list = JsonDocument.Parse(body))
        {
            foreach (var item in list.RootElement.GetProperty("items").EnumerateArray())
            {
                watch.present[KeyOf(item)] = true;
            }

            var rv = list.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString();
            var response = await http.OpenStreamAsync($"{Path}?watch=true&resourceVersion={rv}&timeoutSeconds=3600", ct);
            response.EnsureSuccessStatusCode();
            watch.reader = Task.Run(() => watch.ReadAsync(response, watch.stop.Token), CancellationToken.None);
        }

        return watch;
    }

    /// <summary>Arms a waiter for the next ADDED of this policy; it completes with the Stopwatch timestamp of arrival.</summary>
    public Task<long> NextAdded(string ns, string name)
    {
        var tcs = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiters[Key(ns, name)] = tcs;
        return tcs.Task;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await reader.ContinueWith(_ => { }, TaskScheduler.Default);
        stop.Dispose();
    }

    async Task ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        using (response)
        {
            using var stream = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await stream.ReadLineAsync(ct) is { } line)
            {
                var arrived = Stopwatch.GetTimestamp();
                if (line.Length > 0)
                {
                    Apply(line, arrived);
                }
            }
        }

        foreach (var waiter in waiters.Values)
        {
            waiter.TrySetException(new IOException("the harness's NetworkPolicy watch ended"));
        }
    }

    void Apply(string line, long arrived)
    {
        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.GetProperty("type").GetString();
        if (type is not ("ADDED" or "MODIFIED" or "DELETED"))
        {
            return; // BOOKMARK
        }

        var key = KeyOf(doc.RootElement.GetProperty("object"));
        if (type == "DELETED")
        {
            present.TryRemove(key, out _);
            return;
        }

        present[key] = true;
        if (type == "ADDED" && waiters.TryRemove(key, out var waiter))
        {
            waiter.TrySetResult(arrived);
        }
    }

    static string KeyOf(JsonElement obj)
    {
        var meta = obj.GetProperty("metadata");
        return Key(meta.GetProperty("namespace").GetString()!, meta.GetProperty("name").GetString()!);
    }

    static string Key(string ns, string name) => ns + "/" + name;
}
