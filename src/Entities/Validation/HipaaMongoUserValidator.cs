namespace HipaaMongo.Entities.Validation;

/// <summary>
/// A HipaaMongoUser on its own, pure: shapes and meanings the CRD cannot fully say. What depends on its HipaaMongo
/// (custom roles) or on the time (break-glass expiry) is <see cref="UserPolicy"/>.
/// </summary>
public static class HipaaMongoUserValidator
{
    /// <summary>The longest break-glass window: emergency access is for an emergency, not a standing grant.</summary>
    public static readonly TimeSpan MaxBreakGlass = TimeSpan.FromDays(7);

    public static IReadOnlyList<ValidationError> Validate(HipaaMongoUserResource user, HipaaMongoUserResource? old)
    {
        var errors = new ErrorList();
        var spec = user.Spec;
        if (spec is null)
        {
            errors.Add("spec", "spec is required");
            return errors.Items;
        }

        errors.Check(Names.IsDnsSubdomain(spec.HipaaMongoRef?.Name), "spec.hipaaMongoRef.name", "hipaaMongoRef.name must name a HipaaMongo in this namespace");
        if (spec.Username is not null)
            errors.Check(Names.IsUsername(spec.Username), "spec.username",
                "username must start with a letter or digit and hold only letters, digits, '_', '.' and '-' (at most 64)");
        else
            errors.Check(Names.IsUsername(user.Metadata?.Name), "metadata.name", "metadata.name must be a valid user name when spec.username is not set");
        CheckRoles(spec.Roles ?? [], errors);
        CheckAuthentication(spec.Authentication ?? new UserAuthentication(), errors);
        if (spec.BreakGlass is { } glass)
            errors.Check(!string.IsNullOrWhiteSpace(glass.Reason) && glass.Reason.Trim().Length >= 10, "spec.breakGlass.reason",
                "breakGlass needs a reason of at least 10 characters: it is recorded as the justification for emergency access");
        if (old?.Spec is { } before)
        {
            errors.Check(before.HipaaMongoRef?.Name == spec.HipaaMongoRef?.Name, "spec.hipaaMongoRef", "hipaaMongoRef is immutable: create a new HipaaMongoUser for another cluster");
            errors.Check(before.Username == spec.Username, "spec.username", "username is immutable");
            errors.Check(before.Authentication?.Type == spec.Authentication?.Type, "spec.authentication.type", "authentication.type is immutable: create a new HipaaMongoUser");
        }

        return errors.Items;
    }

    private static void CheckRoles(List<DatabaseRole> roles, ErrorList errors)
    {
        errors.Check(roles.Count > 0, "spec.roles", "at least one role is required");
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < roles.Count; i++)
        {
            var path = $"spec.roles[{i}]";
            var r = roles[i];
            errors.Check(Names.IsRoleName(r.Role), path + ".role", "role must be a role name of letters, digits, '_', '.' and '-'");
            errors.Check(Names.IsDatabaseName(r.Db), path + ".db", "db must be a database name of letters, digits, '_' and '-'");
            errors.Check(seen.Add((r.Role, r.Db)), path, $"role {r.Role}@{r.Db} is listed twice");
            if (BuiltinRoleNames.AdminOnly.Contains(r.Role) && r.Db != "admin")
                errors.Add(path + ".db", $"{r.Role} exists only in the admin database");
        }
    }

    private static void CheckAuthentication(UserAuthentication auth, ErrorList errors)
    {
        const string Path = "spec.authentication";
        if (!errors.Check(Enum.IsDefined(auth.Type), Path + ".type", "type must be X509 or ScramSha256")) return;
        if (auth.Type == UserAuthenticationType.X509)
        {
            errors.Check(auth.PasswordSecretRef is null, Path + ".passwordSecretRef", "passwordSecretRef is only for ScramSha256");
            errors.Check(auth.Rotation is null, Path + ".rotation", "rotation is only for ScramSha256 (cert-manager renews x.509 certificates)");
            return;
        }

        if (auth.PasswordSecretRef is { } external)
        {
            errors.Check(Names.IsDnsSubdomain(external.Name), Path + ".passwordSecretRef.name", "name must be a Secret name");
            errors.Check(auth.Rotation is null, Path + ".rotation", "rotation is for generated passwords: an externally managed password is rotated where it is managed");
        }

        if (auth.Rotation is { } rotation)
            CheckRotation(rotation, Path + ".rotation", errors);
    }

    private static void CheckRotation(RotationSpec rotation, string path, ErrorList errors)
    {
        var period = Duration(rotation.Period, path + ".period", errors);
        var before = Duration(rotation.RenewBefore, path + ".renewBefore", errors);
        var grace = Duration(rotation.GracePeriod, path + ".gracePeriod", errors);
        if (period is { } p)
            errors.Check(p >= TimeSpan.FromMinutes(1), path + ".period", "period must be at least 1m");
        if (period is { } p2 && before is { } b)
            errors.Check(b < p2, path + ".renewBefore", "renewBefore must be shorter than period");
        if (period is { } p3 && grace is { } g)
            errors.Check(g < p3, path + ".gracePeriod", "gracePeriod must be shorter than period, or two old versions would live at once");
    }

    private static TimeSpan? Duration(string? text, string path, ErrorList errors) =>
        errors.Check(ApiMachinery.Time.GoDuration.TryParseUnsigned(text, out var value) && value >= TimeSpan.Zero, path, "must be a Go duration such as 90m or 2160h")
            ? value
            : null;
}
