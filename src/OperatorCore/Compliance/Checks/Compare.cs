namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Per-member comparisons of a live value with the desired one.</summary>
internal static class Compare
{
    /// <summary>Live must equal the desired value; a missing desired value is a broken baseline, so Fail.</summary>
    public static Finding Equal(string name, object? live, object? desired, DateTimeOffset? at)
    {
        if (live is null)
        {
            return Finding.Unknown($"{name} was not read", at);
        }

        if (desired is null)
        {
            return Finding.Fail($"the desired configuration does not set {name}", at);
        }

        var liveText = Evidence.Value(live);
        var desiredText = Evidence.Value(desired);
        return liveText == desiredText
            ? Finding.Pass($"{name} is {liveText}", at)
            : Finding.Fail($"{name} is {liveText}; the baseline requires {desiredText}", at);
    }
}
