namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Pure: what to do with one child, from what the gather read. Absent: create. Present: compare it whole with the
/// render as stored (<see cref="DriftDetector"/>), so anything added, changed or removed out of band is a finding.
/// </summary>
public static class ChildPlanner
{
    public static AppliedObject Decide(ChildReading reading)
    {
        ArgumentNullException.ThrowIfNull(reading);
        if (reading.Live is null)
        {
            return new AppliedObject(reading.Desired, ApplyDecision.From(DriftDetector.Detect(ObjectJson.From(reading.Desired), null)), null);
        }
        var decision = ApplyDecision.From(DriftDetector.Detect(reading.Defaulted ?? throw new ArgumentException("a live child is read with its defaulted render", nameof(reading)), reading.Live));
        // The stamps are bookkeeping, not compared: a child that only lacks its stamp (made by an older version) is
        // written, but with no finding (no revert Event, no failed control).
        if (decision.Action == ApplyAction.None && !LastApplied.Carries(reading.Live, reading.Stamped))
        {
            decision = decision with { Action = ApplyAction.Apply };
        }
        return new AppliedObject(reading.Desired, decision, reading.Live);
    }
}
