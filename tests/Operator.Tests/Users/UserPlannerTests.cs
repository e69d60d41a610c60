using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Users.Planning;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Users;

public class UserPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 4, 0, 0, TimeSpan.Zero);

    internal static HipaaMongoUserResource Scram(string name, params (string Role, string Db)[] roles) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "clinical" },
        Spec = new HipaaMongoUserSpec
        {
            HipaaMongoRef = new LocalObjectReference { Name = "phi-db" },
            Authentication = new UserAuthentication
            {
                Type = UserAuthenticationType.ScramSha256,
                Rotation = new RotationSpec { Period = "24h", RenewBefore = "1h", GracePeriod = "10m" },
            },
            Roles = [.. roles.Select(r => new DatabaseRole { Role = r.Role, Db = r.Db })],
        },
    };

    private static UserPlan Plan(HipaaMongoUserResource user, HipaaMongoUserStatus? status, DateTimeOffset now,
        IReadOnlyList<ObservedUser> observed, string? annotation = null, bool deleting = false, HipaaMongoSpec? cluster = null) =>
        UserPlanner.Plan(new UserPlanInput(UserIdentity.For(user), user.Spec, status, annotation, deleting,
            UserPolicy.Decide(user.Spec, cluster ?? new HipaaMongoSpec(), now), observed, now));

    private static ObservedUser Live(string name, params (string Role, string Db)[] roles) =>
        new("admin", name, [.. roles.Select(r => new RoleName(r.Role, r.Db))]);

    private static HipaaMongoUserStatus At(int version, DateTimeOffset rotated, params RetiringUser[] retiring) =>
        new() { Version = version, Username = $"physician-{version}", LastRotation = rotated.UtcDateTime, Retiring = [.. retiring] };

    [Fact]
    public void A_new_scram_user_is_created_as_version_one_with_a_password()
    {
        var plan = Plan(Scram("physician", ("readWrite", "patients")), null, T0, []);
        var create = Assert.IsType<CreateUserOp>(Assert.Single(plan.Ops));
        Assert.Equal(("admin", "physician-1", true), (create.Db, create.Name, create.WithPassword));
        Assert.Equal([new RoleName("readWrite", "patients")], create.Roles);
        Assert.True(plan.NewCredential);
        Assert.Equal(T0, plan.LastRotation);
    }

    [Fact]
    public void At_rest_the_plan_is_empty()
    {
        var plan = Plan(Scram("physician", ("readWrite", "patients")), At(1, T0), T0.AddHours(1),
            [Live("physician-1", ("readWrite", "patients"))]);
        Assert.Empty(plan.Ops);
        Assert.False(plan.NewCredential);
        Assert.Equal(T0.AddHours(23), plan.NextCheck);
    }

    [Fact]
    public void Roles_added_out_of_band_are_revoked_and_missing_ones_granted()
    {
        var plan = Plan(Scram("biller", ("read", "patients")), At(1, T0), T0,
            [Live("biller-1", ("readWrite", "patients"))]);
        Assert.Equal(["grant read@patients to biller-1@admin", "revoke readWrite@patients from biller-1@admin (granted out of band; not declared)"],
            plan.Ops.Select(o => o.Describe()));
    }

    [Fact]
    public void A_rotation_by_annotation_creates_the_next_version_and_retires_the_old_one_for_the_grace_period()
    {
        var user = Scram("physician", ("readWrite", "patients"));
        var plan = Plan(user, At(1, T0), T0.AddHours(2), [Live("physician-1", ("readWrite", "patients"))], annotation: "now");
        var create = Assert.IsType<CreateUserOp>(Assert.Single(plan.Ops));
        Assert.Equal("physician-2", create.Name);
        Assert.Equal("physician-1", Assert.Single(plan.Retiring).Username);
        Assert.Equal(T0.AddHours(2).AddMinutes(10).UtcDateTime, plan.Retiring[0].DropAfter);
        Assert.Equal("now", plan.RotateRequest);

        // The same annotation value asks only once; the old version goes when its grace period ends.
        var status = At(2, T0.AddHours(2), plan.Retiring[0]);
        status.RotateRequest = "now";
        var both = new[] { Live("physician-1", ("readWrite", "patients")), Live("physician-2", ("readWrite", "patients")) };
        Assert.Empty(Plan(user, status, T0.AddHours(2).AddMinutes(9), both, annotation: "now").Ops);
        var later = Plan(user, status, T0.AddHours(2).AddMinutes(10), both, annotation: "now");
        Assert.Equal("drop user physician-1@admin (replaced by a rotation; its grace period ended)", Assert.Single(later.Ops).Describe());
        Assert.Empty(later.Retiring);
    }

    [Fact]
    public void The_period_minus_renew_before_makes_a_rotation_due()
    {
        var user = Scram("physician", ("readWrite", "patients"));
        var live = new[] { Live("physician-1", ("readWrite", "patients")) };
        Assert.Empty(Plan(user, At(1, T0), T0.AddHours(22.9), live).Ops);
        Assert.Equal("physician-2", Assert.IsType<CreateUserOp>(Assert.Single(Plan(user, At(1, T0), T0.AddHours(23), live).Ops)).Name);
    }

    [Fact]
    public void A_declared_user_dropped_out_of_band_is_recreated_with_a_new_credential()
    {
        var plan = Plan(Scram("physician", ("readWrite", "patients")), At(3, T0), T0.AddHours(1), []);
        var create = Assert.IsType<CreateUserOp>(Assert.Single(plan.Ops));
        Assert.Equal("physician-4", create.Name);
        Assert.Contains("dropped out of band", create.Why, StringComparison.Ordinal);
        Assert.True(plan.NewCredential);
    }

    [Fact]
    public void A_version_above_the_recorded_one_is_dropped_because_its_password_was_lost()
    {
        var plan = Plan(Scram("physician", ("readWrite", "patients")), At(1, T0), T0.AddHours(1),
            [Live("physician-1", ("readWrite", "patients")), Live("physician-2", ("readWrite", "patients"))]);
        Assert.Equal("drop user physician-2@admin (a rotation that did not complete; its password was never stored)", Assert.Single(plan.Ops).Describe());
    }

    [Fact]
    public void Deleting_drops_every_version_under_delete_and_nothing_under_retain()
    {
        var user = Scram("physician", ("readWrite", "patients"));
        var live = new[] { Live("physician-1"), Live("physician-2"), Live("someone-else") };
        Assert.Equal(["physician-1", "physician-2"], Plan(user, At(2, T0), T0, live, deleting: true).Ops.Cast<DropUserOp>().Select(d => d.Name));
        user.Spec.ReclaimPolicy = UserReclaimPolicy.Retain;
        Assert.Empty(Plan(user, At(2, T0), T0, live, deleting: true).Ops);
    }

    [Fact]
    public void Break_glass_roles_are_granted_then_revoked_when_the_expiry_passes()
    {
        var user = Scram("oncall", ("root", "admin"), ("read", "patients"));
        user.Spec.BreakGlass = new BreakGlassSpec { Reason = "restore after incident 4711", Expiry = T0.AddHours(1).UtcDateTime };
        var status = At(1, T0);
        status.Username = "oncall-1";
        var before = Plan(user, status, T0.AddMinutes(30), [Live("oncall-1", ("read", "patients"))]);
        Assert.Equal("grant root@admin to oncall-1@admin", Assert.Single(before.Ops).Describe());
        Assert.Equal(T0.AddHours(1), before.NextCheck);

        var after = Plan(user, status, T0.AddHours(1), [Live("oncall-1", ("read", "patients"), ("root", "admin"))]);
        var revoke = Assert.IsType<RevokeRolesOp>(Assert.Single(after.Ops));
        Assert.Equal([new RoleName("root", "admin")], revoke.Roles);
        Assert.StartsWith("break-glass expired", revoke.Why, StringComparison.Ordinal);
        Assert.Equal([new RoleName("read", "patients")], after.RolesInEffect);
    }

    [Fact]
    public void An_x509_user_is_its_certificate_subject_in_external_without_a_password_or_versions()
    {
        var user = Scram("physician", ("readWrite", "patients"));
        user.Spec.Authentication = new UserAuthentication();
        var plan = Plan(user, null, T0, []);
        var create = Assert.IsType<CreateUserOp>(Assert.Single(plan.Ops));
        Assert.Equal(("$external", "CN=physician,OU=mongodb-phi-db-users,O=hipaa-mongo", false), (create.Db, create.Name, create.WithPassword));
        var at = new HipaaMongoUserStatus { Version = 1, LastRotation = T0.UtcDateTime };
        Assert.Empty(Plan(user, at, T0.AddDays(400),
            [new ObservedUser("$external", create.Name, [new RoleName("readWrite", "patients")])], annotation: "x").Ops);
    }

    [Fact]
    public void No_operation_description_carries_a_password()
    {
        var plan = Plan(Scram("physician", ("readWrite", "patients")), null, T0, []);
        Assert.DoesNotContain(plan.Ops, o => o.Describe().Contains("pwd", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(typeof(CreateUserOp).GetProperties(), p => p.Name.Contains("Password", StringComparison.Ordinal) && p.PropertyType == typeof(string));
    }
}
