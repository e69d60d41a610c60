using System.Globalization;

namespace HipaaMongo.Benchmarks;

/// <summary>
/// How every benchmark ends: 0 when its body completes; 1 and one line on stderr when it fails the way a run fails
/// (its time limit passed, a wait ran out, the cluster, a member or the operator process answered badly), never a
/// stack trace. A programming error is not caught: it should be seen whole.
/// </summary>
public static class HarnessRun
{
    public static async Task<int> RunAsync(string name, TimeSpan limit, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            await body();
            return 0;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{name} run failed: the run exceeded its limit of {limit.TotalMinutes:F1} min"));
            return 1;
        }
        catch (Exception e) when (IsRunFailure(e))
        {
            await Console.Error.WriteLineAsync($"{name} run failed: {e.Message}");
            return 1;
        }
    }

    static bool IsRunFailure(Exception e) =>
        e is TimeoutException or HttpRequestException or InvalidOperationException or IOException or System.Text.Json.JsonException
            or k8s.Autorest.HttpOperationException or MongoDB.Driver.MongoException or System.ComponentModel.Win32Exception;
}
