using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Users.Planning;

namespace HipaaMongo.Operator.Users;

/// <summary>
/// The Event for each access change (the access journal a person reads with kubectl describe hmu): reason by kind,
/// the change described without any credential, and break-glass grants and expiries called out.
/// </summary>
public static class UserEvents
{
    public const string BreakGlassGranted = "BreakGlassGranted";
    public const string BreakGlassExpired = "BreakGlassExpired";
    public const string AccessChangeFailed = "AccessChangeFailed";
    public const string PolicyRefused = "PolicyRefused";
    public const string AccessJournalFailed = "AccessJournalFailed";

    /// <summary>A Secret of the user's credential name belongs to someone else: never overwritten, the user Stalled.</summary>
    public const string SecretNotOwned = "SecretNotOwned";

    public static (bool Warning, string Reason) For(AccessOp op, UserPolicyDecision decision)
    {
        var privileged = decision.Privileged.Select(r => new RoleName(r.Role, r.Db)).ToHashSet();
        return op switch
        {
            CreateUserOp c when c.Roles.Any(privileged.Contains) => (true, BreakGlassGranted),
            GrantRolesOp g when g.Roles.Any(privileged.Contains) => (true, BreakGlassGranted),
            RevokeRolesOp r when r.Why.StartsWith("break-glass expired", StringComparison.Ordinal) => (false, BreakGlassExpired),
            CreateUserOp c when c.Why != "declared" => (false, "CredentialRotated"),
            CreateUserOp => (false, "UserCreated"),
            GrantRolesOp => (false, "RolesGranted"),
            RevokeRolesOp => (true, "RolesRevoked"),
            DropUserOp => (false, "UserDropped"),
            ChangePasswordOp => (false, "PasswordChanged"),
            CreateRoleOp => (false, "RoleCreated"),
            UpdateRoleOp => (true, "RoleRestored"),
            _ => (false, "AccessChanged"),
        };
    }

    public static string Message(AccessOp op, UserPolicyDecision decision, string? breakGlassReason) =>
        For(op, decision).Reason == BreakGlassGranted
            ? $"{op.Describe()}; break-glass until {decision.BreakGlassExpiry:O}: {breakGlassReason}"
            : op.Describe();
}
