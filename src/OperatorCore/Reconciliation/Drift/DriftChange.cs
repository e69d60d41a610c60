namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// The shape of a difference. It decides how a revert must be written: server-side apply with force
/// restores Changed and Removed fields, but it never removes a field another manager Added.
/// </summary>
public enum DriftChange
{
    /// <summary>An owned field holds another value.</summary>
    Changed,

    /// <summary>An owned field or list element is absent.</summary>
    Removed,

    /// <summary>Something we never render was added next to our fields.</summary>
    Added,

    /// <summary>The whole object is absent.</summary>
    ObjectMissing,
}
