namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>
/// A virtual clock the admin endpoint reads and advances (`GET /admin/clock`, `POST /admin/clock/advance?by=2160h`).
/// LocalCluster only calls these two delegates; what the clock drives (simulations) is the host's business.
/// The API server's own timestamps stay on the system clock.
/// </summary>
/// <param name="Time">Where "now" comes from.</param>
/// <param name="Advance">Moves the clock forward by a non-negative duration.</param>
public sealed record ClockHook(TimeProvider Time, Action<TimeSpan> Advance);
