using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Ldap;

/// <summary>
/// Pure: the DirectoryReachable condition from the last directory probe, as KeyManagementReachable is for KMIP. Set
/// when a probe ran; kept as stored when none ran this pass (no verification due); removed without spec.ldap. The
/// outage message names the servers tried and the first reason, and says what it means: directory users cannot log
/// in, while the operator (x.509) and x.509 users, the break-glass path, keep working (docs/ldap.md).
/// </summary>
public static class DirectoryCondition
{
    public static bool Apply(List<V1Condition> conditions, bool ldapDeclared, DirectoryObservation? probe, long? generation, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        if (!ldapDeclared)
        {
            return Conditions.Remove(conditions, ConditionTypes.DirectoryReachable);
        }
        if (probe is null)
        {
            return false;
        }
        return probe.Reachable
            ? Conditions.Set(conditions, ConditionTypes.DirectoryReachable, Conditions.True, ConditionReasons.LdapReachable,
                $"LDAP server {probe.AnsweredBy} answered the operator's LDAPS probe", generation, now)
            : Conditions.Set(conditions, ConditionTypes.DirectoryReachable, Conditions.False, ConditionReasons.LdapUnreachable,
                OutageMessage(probe), generation, now);
    }

    /// <summary>The outage as one line: the servers tried and why (no password, no certificate text).</summary>
    public static string OutageMessage(DirectoryObservation probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        return $"no LDAP server answered the operator's LDAPS probe ({string.Join(", ", probe.Servers)}): {probe.Failure ?? "no reason given"}; "
            + "directory users cannot log in and a member that restarts cannot validate its query user; x.509 identities "
            + "(the operator, x.509 HipaaMongoUsers: the break-glass path) keep working";
    }
}
