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

    public static Finding UsersExistOutsideDeclaredSet(Observation o) =>
        MemberCheck.Over(o, (p, at) => Outside("users", p.UsersOutsideDeclaredSet, at));

    public static Finding RolesExistOutsideDeclaredSet(Observation o) =>
        MemberCheck.Over(o, (p, at) => Outside("roles", p.RolesOutsideDeclaredSet, at));

    // User and role names identify accounts, they are not credentials, so they may appear as evidence.
    private static Finding Outside(string what, IReadOnlyList<string>? extra, DateTimeOffset? at) =>
        extra switch
        {
            null => Finding.Unknown($"{what} were not read", at),
            [] => Finding.Pass($"only declared {what} exist", at),
            _ => Finding.Fail($"undeclared {what}: {Evidence.List(extra.Order(StringComparer.Ordinal))}", at),
        };
}
