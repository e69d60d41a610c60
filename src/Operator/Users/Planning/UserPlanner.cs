using System.Globalization;
using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Operator.Users.Planning;

/// <summary>What the planner knows about one HipaaMongoUser: its spec, its last status, and what mongod shows.</summary>
public sealed record UserPlanInput(
    UserIdentity Identity,
    HipaaMongoUserSpec Spec,
    HipaaMongoUserStatus? Status,
    string? RotateAnnotation,
    bool Deleting,
    UserPolicyDecision Decision,
    IReadOnlyList<ObservedUser> Observed,
    DateTimeOffset Now,
    string? PasswordVersion = null);

/// <summary>The changes for one user and the status they lead to. Never a password.</summary>
public sealed record UserPlan(
    IReadOnlyList<AccessOp> Ops,
    string? Username,
    int Version,
    DateTimeOffset? LastRotation,
    IReadOnlyList<RetiringUser> Retiring,
    string? RotateRequest,
    IReadOnlyList<RoleName> RolesInEffect,
    bool NewCredential,
    DateTimeOffset? NextCheck,
    string? PasswordVersion = null)
{
    public CreateUserOp? Creation => Ops.OfType<CreateUserOp>().FirstOrDefault();
}

/// <summary>
/// One declared user against usersInfo, pure: create it, keep its roles as declared (grants and revokes), rotate a
/// generated password by replacement (a new user version; the old one dropped after the grace period), re-create a
/// user dropped out of band with a new credential, and on deletion drop it (reclaimPolicy Delete) or leave it.
/// </summary>
public static class UserPlanner
{
    public static UserPlan Plan(UserPlanInput input)
    {
        var id = input.Identity;
        var versions = id.Versioned ? input.Observed.Where(u => id.VersionOf(u.Name) is not null).ToList()
            : [.. input.Observed.Where(u => u.Name == id.BaseName)];
        if (input.Deleting)
            return Deleting(input, versions);

        var ops = new List<AccessOp>();
        var status = input.Status;
        var version = status?.Version ?? 0;
        var retiring = (status?.Retiring ?? []).ToList();
        var current = versions.FirstOrDefault(u => u.Name == id.NameAt(version));
        var desired = RoleName.Sorted(input.Decision.Granted.Select(r => new RoleName(r.Role, r.Db)));
        var rotation = RotationDue(input, version, current);
        DateTimeOffset? lastRotation = status?.LastRotation is { } lr ? new DateTimeOffset(DateTime.SpecifyKind(lr, DateTimeKind.Utc)) : null;
        var newCredential = false;

        // A version above the recorded one is a rotation whose Secret or status was never written: its password is
        // lost, so it is dropped and the rotation is done again.
        foreach (var orphan in versions.Where(u => id.VersionOf(u.Name) > version))
            ops.Add(new DropUserOp(orphan.Db, orphan.Name, "a rotation that did not complete; its password was never stored"));

        if (rotation is { } why)
        {
            var next = version + 1;
            ops.Add(new CreateUserOp(id.Db, id.NameAt(next), desired, id.Versioned || id.WithPassword, why));
            if (current is not null && version > 0)
                retiring.Add(new RetiringUser { Username = current.Name, DropAfter = (input.Now + id.GracePeriod).UtcDateTime });
            version = next;
            lastRotation = input.Now;
            newCredential = true;
        }
        else if (current is not null)
        {
            AlignRoles(input, current, desired, ops);
            if (PasswordChanged(input) is { } changed)
                ops.Add(new ChangePasswordOp(current.Db, current.Name, changed));
        }

        DropRetired(input, versions, retiring, ops);
        var rotateRequest = input.RotateAnnotation ?? status?.RotateRequest;
        return new UserPlan(ops, id.NameAt(version), version, lastRotation, retiring, rotateRequest, desired, newCredential,
            NextCheck(input, lastRotation, retiring), input.PasswordVersion ?? status?.ExternalSecretVersion);
    }

    /// <summary>
    /// An externally managed password whose Secret changed since it was last applied (its resourceVersion differs
    /// from the one in status, as CloudNativePG's managed roles track a password Secret): applied in place, because
    /// the operator never names or versions a password it does not own.
    /// </summary>
    private static string? PasswordChanged(UserPlanInput input)
    {
        if (input.Identity is not { Versioned: false, WithPassword: true } || input.PasswordVersion is not { } seen) return null;
        return input.Status?.ExternalSecretVersion is { } applied
            ? seen == applied ? null : $"its password Secret changed (resourceVersion {applied} to {seen})"
            : "its password Secret was never applied by this operator version";
    }

    private static string? RotationDue(UserPlanInput input, int version, ObservedUser? current)
    {
        var id = input.Identity;
        if (version == 0)
            return "declared";
        if (current is null)
            return id.Versioned ? "the user was dropped out of band; re-created with a new credential" : "the user was dropped out of band; re-created";
        if (!id.Versioned)
            return null;
        if (input.RotateAnnotation is { } ask && ask != input.Status?.RotateRequest)
            return $"rotation requested ({UserApiGroup.RotateAnnotation}={ask})";
        if (input.Status?.LastRotation is { } last && id.RotateEvery is { } every
            && new DateTimeOffset(DateTime.SpecifyKind(last, DateTimeKind.Utc)) + every <= input.Now)
            return "the password reached the end of its rotation period";
        return null;
    }

    private static void AlignRoles(UserPlanInput input, ObservedUser current, List<RoleName> desired, List<AccessOp> ops)
    {
        var missing = desired.Except(current.Roles).ToList();
        var extra = RoleName.Sorted(current.Roles.Except(desired));
        if (missing.Count > 0)
            ops.Add(new GrantRolesOp(current.Db, current.Name, missing));
        var privileged = input.Decision.Privileged.Select(r => new RoleName(r.Role, r.Db)).ToHashSet();
        var expired = extra.Where(r => input.Decision.BreakGlass == BreakGlassState.Expired && privileged.Contains(r)).ToList();
        if (expired.Count > 0)
            ops.Add(new RevokeRolesOp(current.Db, current.Name, expired,
                $"break-glass expired at {input.Decision.BreakGlassExpiry!.Value.ToString("O", CultureInfo.InvariantCulture)}"));
        var undeclared = extra.Except(expired).ToList();
        if (undeclared.Count > 0)
            ops.Add(new RevokeRolesOp(current.Db, current.Name, undeclared, "granted out of band; not declared"));
    }

    private static void DropRetired(UserPlanInput input, List<ObservedUser> versions, List<RetiringUser> retiring, List<AccessOp> ops)
    {
        foreach (var old in retiring.Where(r => new DateTimeOffset(DateTime.SpecifyKind(r.DropAfter, DateTimeKind.Utc)) <= input.Now).ToList())
        {
            if (versions.Any(u => u.Name == old.Username))
                ops.Add(new DropUserOp(input.Identity.Db, old.Username, "replaced by a rotation; its grace period ended"));
            retiring.Remove(old);
        }
    }

    private static UserPlan Deleting(UserPlanInput input, List<ObservedUser> versions)
    {
        var ops = input.Spec.ReclaimPolicy == UserReclaimPolicy.Delete
            ? versions.Select(u => (AccessOp)new DropUserOp(u.Db, u.Name, "its HipaaMongoUser was deleted (reclaimPolicy Delete)")).ToList()
            : [];
        return new UserPlan(ops, input.Status?.Username, input.Status?.Version ?? 0, null, [], null, [], false, null);
    }

    /// <summary>When the next pass must run even if nothing changes: a grace period, a rotation or a break-glass expiry.</summary>
    private static DateTimeOffset? NextCheck(UserPlanInput input, DateTimeOffset? lastRotation, List<RetiringUser> retiring)
    {
        var times = retiring.Select(r => new DateTimeOffset(DateTime.SpecifyKind(r.DropAfter, DateTimeKind.Utc))).ToList();
        if (lastRotation is { } last && input.Identity.RotateEvery is { } every) times.Add(last + every);
        if (input.Decision is { BreakGlass: BreakGlassState.Active, BreakGlassExpiry: { } expiry }) times.Add(expiry);
        return times.Count == 0 ? null : times.Min();
    }
}
