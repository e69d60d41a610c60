namespace HipaaMongo.ControllerRuntime.Tests.Support;

/// <summary>Waits for a condition the code under test makes true on its own threads, failing after a bound.</summary>
internal static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, string what, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition())
        {
            if (cts.IsCancellationRequested)
            {
                Assert.Fail("timed out waiting until " + what);
            }
            await Task.Delay(10, CancellationToken.None);
        }
    }
}
