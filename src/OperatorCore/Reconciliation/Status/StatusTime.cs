namespace HipaaMongo.Operator.Reconciliation.Status;

/// <summary>Times as status stores them: UTC, whole seconds (metav1.Time has no sub-second precision on the wire).</summary>
internal static class StatusTime
{
    public static DateTime Seconds(DateTimeOffset at)
    {
        var utc = at.UtcDateTime;
        return DateTime.SpecifyKind(utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond)), DateTimeKind.Utc);
    }

    public static DateTime Seconds(DateTime at) => Seconds(Utc(at));

    /// <summary>A comparable text for a stored or planned time (the deserialized Kind may be Local or Unspecified).</summary>
    public static string Key(DateTime? at) => at is { } t ? Seconds(Utc(t)).ToString("O", System.Globalization.CultureInfo.InvariantCulture) : "-";

    private static DateTimeOffset Utc(DateTime at) => at.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(at.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
