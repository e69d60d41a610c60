namespace HipaaMongo.ClusterSimulations.Clock;

/// <summary>
/// SimulationClock is the virtual "now" every simulation shares, so tests (and an admin endpoint) can move
/// certificate lifetimes forward in seconds. Only <see cref="Advance"/> and <see cref="SetUtcNow"/> move it;
/// it never moves by itself. Timers created from it fire when the clock is moved past their due time.
/// </summary>
public sealed class SimulationClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<SimulatedTimer> _timers = [];
    private DateTimeOffset _now;

    /// <summary>Starts at <paramref name="start"/> (UTC).</summary>
    public SimulationClock(DateTimeOffset start) => _now = start.ToUniversalTime();

    /// <summary>Starts at the wall clock's current time, truncated to whole seconds (Kubernetes timestamps are).</summary>
    public SimulationClock() : this(TruncateToSeconds(DateTimeOffset.UtcNow)) { }

    /// <summary>Raised after the clock moved; simulations use it to re-check deadlines such as renewalTime.</summary>
    public event EventHandler<DateTimeOffset>? Moved;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward; a negative delta is refused (time never goes back).</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        DateTimeOffset now;
        lock (_gate)
        {
            _now += delta;
            now = _now;
        }
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
