using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Users.Planning;
using HipaaMongo.Operator.Users.Review;
using k8s;

namespace HipaaMongo.Operator.Users;

/// <summary>The next status of a HipaaMongoUser, pure (the time is an argument). Never carries a credential.</summary>
public static class UserStatusPlanner
{
    public static HipaaMongoUserStatus Applied(HipaaMongoUserResource user, UserPlan plan, DateTime now, HipaaMongoSpec? cluster = null)
    {
        var status = Copy(user);
        var review = PhiAccessReview.Review(PhiAccessReview.Databases(cluster?.Audit?.PhiNamespaces),
            [.. (cluster?.Roles ?? []).Select(RolePlanner.FromSpec)],
            [new ObservedUser(UserIdentity.For(user).Db, plan.Username ?? "", plan.RolesInEffect)]);
        status.PhiAccess = review.Count == 0 ? null : [.. review.Select(f => $"can {string.Join(", ", f.Actions)} in {f.Database} (via {f.Via})")];
        status.Username = plan.Username;
        status.Database = UserIdentity.For(user).Db;
        status.Version = plan.Version;
        status.LastRotation = plan.LastRotation?.UtcDateTime;
        status.Retiring = plan.Retiring.Count == 0 ? null : [.. plan.Retiring];
        status.RotateRequest = plan.RotateRequest;
        status.ExternalSecretVersion = plan.PasswordVersion;
        status.RolesInEffect = [.. plan.RolesInEffect.Select(r => r.ToString())];
        status.RolesSummary = string.Join(", ", status.RolesInEffect);
        status.SecretName = user.Spec.Authentication.PasswordSecretRef is { } external ? external.Name : UserCredentialStore.SecretName(user);
        var conditions = Conditions.Copy(status.Conditions);
        Conditions.Remove(conditions, ConditionTypes.Stalled);
        Conditions.Set(conditions, ConditionTypes.Ready, Conditions.True, "UserReady",
            $"{plan.Username} holds {(status.RolesSummary.Length == 0 ? "no roles" : status.RolesSummary)}", user.Metadata.Generation, now);
        status.Conditions = conditions;
        return status;
    }

    public static HipaaMongoUserStatus NotReady(HipaaMongoUserResource user, string reason, string message, DateTime now)
    {
        var status = Copy(user);
        var conditions = Conditions.Copy(status.Conditions);
        Conditions.Remove(conditions, ConditionTypes.Stalled);
        Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, reason, message, user.Metadata.Generation, now);
        status.Conditions = conditions;
        return status;
    }

    public static HipaaMongoUserStatus Stalled(HipaaMongoUserResource user, string reason, string message, DateTime now)
    {
        var status = Copy(user);
        var conditions = Conditions.Copy(status.Conditions);
        Conditions.Set(conditions, ConditionTypes.Ready, Conditions.False, reason, message, user.Metadata.Generation, now);
        Conditions.Set(conditions, ConditionTypes.Stalled, Conditions.True, reason, message, user.Metadata.Generation, now);
        status.Conditions = conditions;
        return status;
    }

    public static bool Changed(HipaaMongoUserStatus? before, HipaaMongoUserStatus after) =>
        before is null || KubernetesJson.Serialize(before) != KubernetesJson.Serialize(after);

    private static HipaaMongoUserStatus Copy(HipaaMongoUserResource user)
    {
        var status = user.Status is null ? new HipaaMongoUserStatus() : KubernetesJson.Deserialize<HipaaMongoUserStatus>(KubernetesJson.Serialize(user.Status));
        status.ObservedGeneration = user.Metadata.Generation;
        return status;
    }
}
