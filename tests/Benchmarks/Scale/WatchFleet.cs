using System.Diagnostics;
using System.Text.Json;

namespace HipaaMongo.Benchmarks.Scale;

/// <summary>
/// N open watches on one ConfigMap (field-selected by name, as a controller watching its own object would),
/// each on its own connection. A round arms a countdown of N, the caller writes once, and the round ends
/// when every watcher has read the resulting event: that is the fan-out latency.
/// </summary>
public sealed class WatchFleet : IAsyncDisposable
{
    readonly CancellationTokenSource stop = new();
    readonly List<Task> readers = [];
    readonly long[] arrivals;
    int pending;
    TaskCompletionSource round = new(TaskCreationOptions.RunContinuationsAsynchronously);

    WatchFleet(int size) => arrivals = new long[size];

    public int Size => arrivals.Length;

    /// <summary>Opens every watch and returns once each has received the ADDED event for the existing object.</summary>
    public static async Task<WatchFleet> OpenAsync(BenchHttp http, int size, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(http);
        var fleet = new WatchFleet(size);
        fleet.Arm();
        var path = $"api/v1/namespaces/{Seeder.WatchNamespace}/configmaps?watch=true&timeoutSeconds=1800" +
                   $"&fieldSelector=metadata.name%3D{Seeder.FanOutName}";
        for (var i = 0; i < size; i++)
        {
            var slot = i;
            fleet.readers.Add(Task.Run(() => fleet.ReadAsync(http, path, slot)));
        }

        await fleet.WaitRoundAsync(timeout, "opening the watches");
        return fleet;
    }

    /// <summary>Starts a round: the next event each watcher reads counts towards it.</summary>
    public void Arm()
    {
        round = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref pending, arrivals.Length);
    }

    /// <summary>Waits for every watcher to see the armed round; returns each watcher's arrival timestamp.</summary>
    public async Task<long[]> WaitRoundAsync(TimeSpan timeout, string what)
    {
        var done = await Task.WhenAny(round.Task, Task.Delay(timeout));
        if (done != round.Task)
        {
            throw new TimeoutException($"{what}: {Volatile.Read(ref pending)} of {arrivals.Length} watchers had not seen the event after {timeout.TotalSeconds:F0} s");
        }

        await round.Task; // rethrows a watcher's failure
        return (long[])arrivals.Clone();
    }

    /// <summary>Reads one watch; a failure or an early end fails the current round at once rather than at its timeout.</summary>
    async Task ReadAsync(BenchHttp http, string path, int slot)
    {
        try
        {
            await ReadEventsAsync(http, path, slot);
            if (!stop.IsCancellationRequested)
            {
                throw new IOException($"watch {slot} ended before the run did");
            }
        }
        catch (Exception e) when (!stop.IsCancellationRequested)
        {
            round.TrySetException(e);
            throw;
        }
    }

    async Task ReadEventsAsync(BenchHttp http, string path, int slot)
    {
        using var response = await http.OpenStreamAsync(path, stop.Token);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop.Token));
        while (await reader.ReadLineAsync(stop.Token) is { } line)
        {
            var now = Stopwatch.GetTimestamp();
            if (IsObjectEvent(line))
            {
                arrivals[slot] = now;
                if (Interlocked.Decrement(ref pending) == 0)
                {
                    round.TrySetResult();
                }
            }
        }
    }

    static bool IsObjectEvent(string line)
    {
        if (line.Length == 0)
        {
            return false;
        }

        using var doc = JsonDocument.Parse(line);
        var type = doc.RootElement.GetProperty("type").GetString();
        if (type == "ERROR")
        {
            throw new InvalidOperationException("watch ERROR event: " + doc.RootElement.GetProperty("object"));
        }

        return type is "ADDED" or "MODIFIED";
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await Task.WhenAll(readers);
        }
        catch (Exception e) when (e is OperationCanceledException or HttpRequestException or IOException or InvalidOperationException or System.Text.Json.JsonException)
        {
            // Streams cut by our own cancellation end this way; a reader that failed earlier already failed its round.
        }

        stop.Dispose();
    }
}
