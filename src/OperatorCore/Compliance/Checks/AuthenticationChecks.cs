namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Access control and entity authentication (164.312(a), (d); CIS 2.x, 3.5, 6.3).</summary>
internal static class AuthenticationChecks
{
    public static Finding AuthorizationIsNotEnabled(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("authorization", p.Authorization, o.Desired.Value("security.authorization"), at));

    public static Finding ClusterAuthModeIsNotX509(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("clusterAuthMode", p.ClusterAuthMode, o.Desired.Value("security.clusterAuthMode"), at));

    public static Finding LocalhostAuthBypassIsEnabled(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("enableLocalhostAuthBypass", p.EnableLocalhostAuthBypass, o.Desired.Value("setParameter.enableLocalhostAuthBypass"), at));

    public static Finding ServerSideJavascriptIsEnabled(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("javascriptEnabled", p.JavascriptEnabled, o.Desired.Value("security.javascriptEnabled"), at));

    // A declared identity holding more (or other) roles than declared is as much an undeclared grant as a new user.
    public static Finding UsersExistOutsideDeclaredSet(Observation o) =>
        MemberCheck.Over(o, (p, at) => p.DeclaredUsersWithOtherGrants is [_, ..] regranted && p.UsersOutsideDeclaredSet is not null
            ? Finding.Fail(Evidence.List(UndeclaredUsers(p.UsersOutsideDeclaredSet).Append(
                $"declared users holding other roles than declared: {Evidence.List(regranted.Order(StringComparer.Ordinal))}")), at)
            : Outside("users", p.UsersOutsideDeclaredSet, at));

    public static Finding RolesExistOutsideDeclaredSet(Observation o) =>
        MemberCheck.Over(o, (p, at) => Outside("roles", p.RolesOutsideDeclaredSet, at));

    private static IEnumerable<string> UndeclaredUsers(IReadOnlyList<string> extra) =>
        extra.Count == 0 ? [] : [$"undeclared users: {Evidence.List(extra.Order(StringComparer.Ordinal))}"];

    // User and role names identify accounts, they are not credentials, so they may appear as evidence.
    private static Finding Outside(string what, IReadOnlyList<string>? extra, DateTimeOffset? at) =>
        extra switch
        {
            null => Finding.Unknown($"{what} were not read", at),
            [] => Finding.Pass($"only declared {what} exist", at),
            _ => Finding.Fail($"undeclared {what}: {Evidence.List(extra.Order(StringComparer.Ordinal))}", at),
        };
}
