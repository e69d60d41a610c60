namespace HipaaMongo.ControllerRuntime.Reconcile;

/// <summary>
/// ReconcileResult says what happens after a successful pass: nothing (<see cref="Done"/>) or another pass after
/// a fixed delay (<see cref="RequeueAfter"/>). There is deliberately no bare "requeue" flag: controller-runtime
/// deprecated it because rate-limiter timing makes a poor poll interval.
/// </summary>
public sealed record ReconcileResult
{
    private ReconcileResult(TimeSpan? after) => After = after;

    /// <summary>The pass finished; the key is reconciled again only when something changes.</summary>
    public static ReconcileResult Done { get; } = new((TimeSpan?)null);

    /// <summary>The delay before the next pass, or null.</summary>
    public TimeSpan? After { get; }

    /// <summary>Reconcile again after <paramref name="delay"/> (e.g. a periodic verification).</summary>
    public static ReconcileResult RequeueAfter(TimeSpan delay) =>
        delay > TimeSpan.Zero ? new ReconcileResult(delay) : throw new ArgumentOutOfRangeException(nameof(delay), "must be positive");
}
