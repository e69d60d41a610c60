using HipaaMongo.Entities.Validation;
using k8s.Models;

namespace HipaaMongo.Entities.Tests.Users;

public class UserPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);

    internal static HipaaMongoUserResource User(params (string Role, string Db)[] roles) => new()
    {
        Metadata = new V1ObjectMeta { Name = "physician", NamespaceProperty = "clinical" },
        Spec = new HipaaMongoUserSpec
        {
            HipaaMongoRef = new LocalObjectReference { Name = "phi-db" },
            Roles = [.. roles.Select(r => new DatabaseRole { Role = r.Role, Db = r.Db })],
        },
    };

    [Fact]
    public void Database_roles_are_granted_as_declared()
    {
        var decision = UserPolicy.Decide(User(("readWrite", "patients")).Spec, Specs.Valid(), Now);
        Assert.Null(decision.Refusal);
        Assert.Equal("readWrite@patients", Assert.Single(decision.Granted.Select(r => $"{r.Role}@{r.Db}")));
    }

    [Theory]
    [InlineData("root")]
    [InlineData("__system")]
    [InlineData("userAdminAnyDatabase")]
    [InlineData("dbAdminAnyDatabase")]
    [InlineData("readWriteAnyDatabase")]
    [InlineData("clusterAdmin")]
    public void A_privileged_role_without_break_glass_is_refused_by_name(string role)
    {
        var decision = UserPolicy.Decide(User((role, "admin")).Spec, Specs.Valid(), Now);
        Assert.Empty(decision.Granted);
        Assert.Contains($"{role}@admin", decision.Refusal, StringComparison.Ordinal);
        Assert.Contains("breakGlass", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_custom_role_that_inherits_root_is_as_privileged_as_root()
    {
        var cluster = Specs.Valid();
        cluster.Roles = [new CustomRoleSpec { Name = "opsAll", Db = "admin", Administrative = true, Roles = [new DatabaseRole { Role = "root", Db = "admin" }] }];
        var decision = UserPolicy.Decide(User(("opsAll", "admin")).Spec, cluster, Now);
        Assert.Contains("opsAll@admin", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Break_glass_grants_until_its_expiry_and_then_only_the_ordinary_roles()
    {
        var user = User(("root", "admin"), ("read", "patients")).Spec;
        user.BreakGlass = new BreakGlassSpec { Reason = "restore after incident 4711", Expiry = Now.AddHours(2).UtcDateTime };

        var active = UserPolicy.Decide(user, Specs.Valid(), Now);
        Assert.Equal(BreakGlassState.Active, active.BreakGlass);
        Assert.Equal(["read@patients", "root@admin"], active.Granted.Select(r => $"{r.Role}@{r.Db}").Order());

        var expired = UserPolicy.Decide(user, Specs.Valid(), Now.AddHours(2));
        Assert.Equal(BreakGlassState.Expired, expired.BreakGlass);
        Assert.Equal(["read@patients"], expired.Granted.Select(r => $"{r.Role}@{r.Db}"));
    }

    [Fact]
    public void Break_glass_longer_than_seven_days_is_refused()
    {
        var user = User(("root", "admin")).Spec;
        user.BreakGlass = new BreakGlassSpec { Reason = "restore after incident 4711", Expiry = Now.AddDays(8).UtcDateTime };
        Assert.Contains("7 days", UserPolicy.Decide(user, Specs.Valid(), Now).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_neither_builtin_nor_declared_is_refused()
    {
        var decision = UserPolicy.Decide(User(("billingReader", "admin")).Spec, Specs.Valid(), Now);
        Assert.Contains("billingReader@admin", decision.Refusal, StringComparison.Ordinal);
    }
}
