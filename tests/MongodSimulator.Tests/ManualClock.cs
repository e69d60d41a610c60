namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// A clock that moves only in <see cref="Advance"/>, starting at the real now (so test certificates are valid).
/// Timers, periodic ones included, fire inside Advance in due order, each at its own due time.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<Timer> _timers = [];
    private DateTimeOffset _now = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan by)
    {
        DateTimeOffset end;
        lock (_gate)
        {
            end = _now + by;
        }

        while (NextDue(end) is { } timer)
        {
            timer.Fire();
        }

        lock (_gate)
        {
            _now = end;
        }
    }

    /// <summary>Advances in heartbeat-sized steps, so periodic work runs as it would in real time.</summary>
    public void AdvanceInSteps(TimeSpan by, TimeSpan step)
    {
        for (var passed = TimeSpan.Zero; passed < by; passed += step)
        {
            Advance(step);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new Timer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private Timer? NextDue(DateTimeOffset end)
    {
        lock (_gate)
        {
            var next = _timers.Where(t => t.DueAt <= end).OrderBy(t => t.DueAt).FirstOrDefault();
            if (next is null)
            {
                return null;
            }

            _now = next.DueAt > _now ? next.DueAt : _now;
            _timers.Remove(next);
            if (next.Period > TimeSpan.Zero)
            {
                next.DueAt = _now + next.Period;
                _timers.Add(next);
            }

            return next;
        }
    }

    private sealed class Timer(ManualClock owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset DueAt { get; set; }

        public TimeSpan Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
                Period = period == Timeout.InfiniteTimeSpan ? TimeSpan.Zero : period;
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    DueAt = owner._now + dueTime;
                    owner._timers.Add(this);
                }
            }

            return true;
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
