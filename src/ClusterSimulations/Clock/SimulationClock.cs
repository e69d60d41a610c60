namespace HipaaMongo.ClusterSimulations.Clock;

/// <summary>
/// SimulationClock is the virtual "now" every simulation shares, so tests (and an admin endpoint) can move
/// certificate lifetimes forward in seconds. A manual clock (the constructors) moves only through
/// <see cref="Advance"/> and <see cref="SetUtcNow"/>; a wall-following clock (<see cref="FollowingWallClock"/>,
/// for `local-cluster --simulate`) is the wall clock plus everything advanced so far. Timers created from it fire
/// when the clock passes their due time.
/// </summary>
public sealed class SimulationClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<SimulatedTimer> _timers = [];
    private readonly TimeProvider? _wall;
    private readonly ITimer? _ticker;
    private DateTimeOffset _now; // manual clocks
    private TimeSpan _offset; // wall-following clocks: everything advanced so far

    /// <summary>Starts at <paramref name="start"/> (UTC).</summary>
    public SimulationClock(DateTimeOffset start) => _now = start.ToUniversalTime();

    private SimulationClock(TimeProvider wall, TimeSpan tick)
    {
        _wall = wall;
        // Timers must fire as wall time passes too; a short real-time tick checks due ones. The ticker lives as long
        // as the clock (one per local-cluster process), so it is never disposed.
        _ticker = wall.CreateTimer(_ => FireDue(GetUtcNow()), null, tick, tick);
    }

    /// <summary>
    /// A clock that follows <paramref name="wall"/> (default the system clock) and adds every
    /// <see cref="Advance"/>: what `make run` wants, where certificates should age in real time and an admin can
    /// still jump ahead. Its timers are checked every <paramref name="tick"/> of wall time (default 250 ms).
    /// </summary>
    public static SimulationClock FollowingWallClock(TimeProvider? wall = null, TimeSpan? tick = null) =>
        new(wall ?? System, tick ?? TimeSpan.FromMilliseconds(250));

    /// <summary>True for a <see cref="FollowingWallClock"/>.</summary>
    public bool FollowsWallClock => _ticker is not null;

    /// <summary>Starts at the wall clock's current time, truncated to whole seconds (Kubernetes timestamps are).</summary>
    public SimulationClock() : this(TruncateToSeconds(DateTimeOffset.UtcNow)) { }

    /// <summary>Raised after the clock moved; simulations use it to re-check deadlines such as renewalTime.</summary>
    public event EventHandler<DateTimeOffset>? Moved;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _wall is null ? _now : _wall.GetUtcNow() + _offset;
        }
    }

    /// <summary>Moves the clock forward; a negative delta is refused (time never goes back).</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset now;
        lock (_gate)
        {
            if (_wall is null)
            {
                _now += delta;
            }
            else
            {
                _offset += delta;
            }
        }
        now = GetUtcNow();
        FireDue(now);
        Moved?.Invoke(this, now);
    }

    /// <summary>Moves the clock to <paramref name="instant"/>, which must not be earlier than now.</summary>
    public void SetUtcNow(DateTimeOffset instant) => Advance(instant.ToUniversalTime() - GetUtcNow());

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new SimulatedTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset t) =>
        new(t.Ticks - (t.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private void Register(SimulatedTimer timer)
    {
        lock (_gate)
        {
            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }
        }
    }

    private void Unregister(SimulatedTimer timer)
    {
        lock (_gate)
        {
            _timers.Remove(timer);
        }
    }

    // Callbacks run outside the lock so a callback may read the clock or create timers.
    private void FireDue(DateTimeOffset now)
    {
        SimulatedTimer[] due;
        lock (_gate)
        {
            due = [.. _timers.Where(t => t.DueAt <= now)];
        }
        foreach (var timer in due)
        {
            timer.Fire(now);
        }
    }

    private sealed class SimulatedTimer(SimulationClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period;

        public DateTimeOffset DueAt { get; private set; } = DateTimeOffset.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                DueAt = DateTimeOffset.MaxValue;
                clock.Unregister(this);
                return true;
            }
            DueAt = clock.GetUtcNow() + dueTime;
            clock.Register(this);
            if (dueTime == TimeSpan.Zero)
            {
                Fire(clock.GetUtcNow());
            }
            return true;
        }

        public void Fire(DateTimeOffset now)
        {
            if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan)
            {
                // A periodic timer fires once per move, then waits a period from now (no catch-up storm).
                DueAt = now + _period;
            }
            else
            {
                DueAt = DateTimeOffset.MaxValue;
                clock.Unregister(this);
            }
            callback(state);
        }

        public void Dispose() => clock.Unregister(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
