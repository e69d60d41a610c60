using Xunit;

namespace HipaaMongo.TestSupport;

/// <summary>
/// Waits for state that the code under test makes true on its own threads: polls the observed state and fails with
/// what it waited for after a bound. Tests wait on observations, never on fixed sleeps, and never run the code's
/// own work themselves.
/// </summary>
public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> every 10 ms until it holds; fails after <paramref name="bound"/>.</summary>
    public static async Task TrueAsync(Func<bool> condition, string what, TimeSpan bound, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        await PollAsync(() => Task.FromResult(condition()), held => held, what, bound, TimeSpan.FromMilliseconds(10), ct);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="bound"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, TimeSpan bound, CancellationToken ct = default) =>
        await ValueAsync(condition, held => held, what, bound, ct);

    /// <summary>
    /// Reads <paramref name="probe"/> until <paramref name="check"/> accepts its value and returns that value; fails
    /// after <paramref name="bound"/>. Each probe runs to its end, so a slow probe is never cut off mid-read.
    /// </summary>
    public static Task<T> ValueAsync<T>(Func<Task<T>> probe, Func<T, bool> check, string what, TimeSpan bound,
        CancellationToken ct = default) =>
        PollAsync(probe, check, what, bound, TimeSpan.FromMilliseconds(50), ct);

    /// <summary>
    /// Reads <paramref name="probe"/> until it finds something (not null) and returns it; an exception that
    /// <paramref name="notYet"/> accepts (an API's 404 for an object not made yet) counts as not found. Fails after
    /// <paramref name="bound"/>.
    /// </summary>
    public static async Task<T> FoundAsync<T>(Func<Task<T?>> probe, string what, TimeSpan bound, Func<Exception, bool> notYet,
        CancellationToken ct = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(notYet);
        var found = await PollAsync(async () =>
        {
            try
            {
                return await probe();
            }
            catch (Exception e) when (notYet(e))
            {
                return null;
            }
        }, value => value is not null, what, bound, TimeSpan.FromMilliseconds(50), ct);
        return found!;
    }

    private static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> check, string what, TimeSpan bound, TimeSpan every,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(check);
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var value = await probe();
            if (check(value))
            {
                return value;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {bound.TotalSeconds} s waiting for {what}");
            }
            await Task.Delay(every, ct);
        }
    }
}
