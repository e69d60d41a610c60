using HipaaMongo.ClusterSimulations.Clock;

namespace HipaaMongo.ClusterSimulations.Tests.Clock;

public sealed class SimulationClockTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Time_stands_still_until_advanced_and_never_goes_back()
    {
        var clock = new SimulationClock(Start);
        Assert.Equal(Start, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromDays(61));
        Assert.Equal(Start.AddDays(61), clock.GetUtcNow());
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.SetUtcNow(Start));
    }

    [Fact]
    public void Moved_reports_the_new_time()
    {
        var clock = new SimulationClock(Start);
        DateTimeOffset? seen = null;
        clock.Moved += (_, now) => seen = now;
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(Start.AddHours(1), seen);
    }

    [Fact]
    public async Task Timers_and_delays_fire_only_when_the_clock_passes_their_due_time()
    {
        var clock = new SimulationClock(Start);
        var delay = Task.Delay(TimeSpan.FromMinutes(10), clock, TestContext.Current.CancellationToken);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromMinutes(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        var fired = 0;
        using var timer = clock.CreateTimer(_ => Interlocked.Increment(ref fired), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, fired);
        timer.Dispose();
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(2, fired);
    }

    [Fact]
    public void A_wall_following_clock_moves_with_the_wall_and_keeps_what_was_advanced()
    {
        var wall = new SimulationClock(Start); // stands in for the system clock
        var clock = SimulationClock.FollowingWallClock(wall, TimeSpan.FromSeconds(1));
        Assert.True(clock.FollowsWallClock);
        Assert.Equal(Start, clock.GetUtcNow());

        wall.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(Start.AddMinutes(5), clock.GetUtcNow());

        clock.Advance(TimeSpan.FromDays(60)); // the admin endpoint's jump stays on top of wall time
        wall.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(Start.AddMinutes(6).AddDays(60), clock.GetUtcNow());
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromSeconds(-1)));
    }

    [Fact]
    public void A_wall_following_clocks_timers_fire_as_wall_time_passes()
    {
        var wall = new SimulationClock(Start);
        var clock = SimulationClock.FollowingWallClock(wall, TimeSpan.FromSeconds(1));
        var fired = 0;
        using var timer = clock.CreateTimer(_ => fired++, null, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan);

        wall.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(0, fired);
        wall.Advance(TimeSpan.FromSeconds(25)); // the wall ticker runs and finds the timer due
        Assert.Equal(1, fired);
        Assert.False(new SimulationClock(Start).FollowsWallClock);
    }
}
