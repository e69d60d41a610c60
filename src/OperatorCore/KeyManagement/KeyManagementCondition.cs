using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.KeyManagement;

/// <summary>
/// Pure: the KeyManagementReachable condition from the last probe. Set when a probe ran; kept as stored when none
/// ran this pass (nothing due); removed when the spec has no KMIP. The outage message names the servers tried and
/// the first reason; the Warning Event for it is planned with the member warnings (one per outage, not per pass).
/// </summary>
public static class KeyManagementCondition
{
    public static bool Apply(List<V1Condition> conditions, bool kmipDeclared, KeyManagementObservation? probe, long? generation, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        if (!kmipDeclared)
        {
            return Conditions.Remove(conditions, ConditionTypes.KeyManagementReachable);
        }
        if (probe is null)
        {
            return false;
        }
        return probe.Reachable
            ? Conditions.Set(conditions, ConditionTypes.KeyManagementReachable, Conditions.True, ConditionReasons.KmipReachable,
                $"KMIP server {probe.AnsweredBy} answered the operator's probe", generation, now)
            : Conditions.Set(conditions, ConditionTypes.KeyManagementReachable, Conditions.False, ConditionReasons.KmipUnreachable,
                OutageMessage(probe), generation, now);
    }

    /// <summary>The outage as one line: the servers tried and why (no key material, no certificate text).</summary>
    public static string OutageMessage(KeyManagementObservation probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return $"no KMIP server answered the operator's probe ({string.Join(", ", probe.Servers)}): {probe.Failure ?? "no reason given"}; "
            + "running members keep their key, a member that restarts cannot obtain it";
    }
}
