namespace HipaaMongo.Benchmarks.Drift;

/// <summary>Bounded waits for set-up conditions (never for what is measured: that comes from watch events).</summary>
public static class Waits
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan limit, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out after {limit.TotalSeconds:F0} s waiting for {what}");
            }

            await Task.Delay(100, ct);
        }
    }

    public static Task UntilAsync(Func<bool> condition, TimeSpan limit, string what, CancellationToken ct) =>
        UntilAsync(() => Task.FromResult(condition()), limit, what, ct);
}
