using HipaaMongo.Entities;
using HipaaMongo.Operator.Users;
using HipaaMongo.Operator.Users.Credentials;
using HipaaMongo.Operator.Users.Planning;
using HipaaMongo.Operator.Users.Review;

namespace HipaaMongo.Operator.Tests.Users;

public class RoleAndReviewTests
{
    private static readonly RoleModel Reader = RolePlanner.FromSpec(new CustomRoleSpec
    {
        Name = "patientsReader",
        Db = "admin",
        Privileges = [new RolePrivilege { Resource = new PrivilegeResource { Db = "patients", Collection = "" }, Actions = ["listCollections", "find"] }],
    });

    [Fact]
    public void A_missing_role_is_created_and_one_changed_out_of_band_restored_while_an_equal_one_in_another_order_is_left()
    {
        Assert.IsType<CreateRoleOp>(Assert.Single(RolePlanner.Plan([Reader], [])));
        var widened = Reader with { Privileges = [Reader.Privileges[0] with { Actions = ["find", "listCollections", "remove"] }] };
        Assert.IsType<UpdateRoleOp>(Assert.Single(RolePlanner.Plan([Reader], [widened])));
        var reordered = Reader with { Privileges = [Reader.Privileges[0] with { Actions = ["listCollections", "find"] }] };
        Assert.Empty(RolePlanner.Plan([Reader], [reordered]));
    }

    [Fact]
    public void Parents_are_created_before_the_roles_that_inherit_them()
    {
        var child = new RoleModel(new RoleName("auditor", "admin"), [], [Reader.Name]);
        Assert.Equal(["patientsReader@admin", "auditor@admin"], RolePlanner.Plan([child, Reader], []).Cast<CreateRoleOp>().Select(c => c.Role.Name.ToString()));
    }

    [Fact]
    public void The_review_finds_the_biller_who_can_delete_records_and_not_the_one_who_can_only_read()
    {
        var widened = Reader with { Name = new RoleName("billingLegacy", "admin"), Privileges = [Reader.Privileges[0] with { Actions = ["find", "remove"] }] };
        var users = new[]
        {
            new ObservedUser("admin", "physician-1", [new RoleName("readWrite", "patients")]),
            new ObservedUser("admin", "biller-1", [new RoleName("read", "patients")]),
            new ObservedUser("admin", "biller-legacy", [new RoleName("billingLegacy", "admin")]),
            new ObservedUser("admin", "analytics", [new RoleName("readWrite", "reports")]),
        };
        var findings = PhiAccessReview.Review(PhiAccessReview.Databases(["patients.records", "patients"]), [Reader, widened], users);
        Assert.Equal(
        [
            "role billingLegacy@admin can remove in patients (via billingLegacy@admin)",
            "user biller-legacy@admin can remove in patients (via billingLegacy@admin)",
            "user physician-1@admin can dropCollection, remove, renameCollectionSameDB, update in patients (via readWrite@patients)",
        ], findings.Select(f => f.ToString()));
    }

    [Fact]
    public void Each_users_status_lists_what_it_can_remove_in_a_phi_database_and_a_reader_has_nothing_listed()
    {
        var cluster = new HipaaMongoSpec { Audit = new AuditSpec { Profile = AuditProfile.PHIAccess, PhiNamespaces = ["patients"] } };
        HipaaMongoUserStatus StatusOf(HipaaMongoUserResource user)
        {
            var plan = new UserPlan([], user.Metadata.Name + "-1", 1, null, [], null,
                [.. user.Spec.Roles.Select(r => new RoleName(r.Role, r.Db))], false, null);
            return UserStatusPlanner.Applied(user, plan, DateTime.UnixEpoch, cluster);
        }

        var physician = StatusOf(UserPlannerTests.Scram("physicians", ("readWrite", "patients")));
        Assert.Equal(["can dropCollection, remove, renameCollectionSameDB, update in patients (via readWrite@patients)"], physician.PhiAccess);
        Assert.Equal("readWrite@patients", physician.RolesSummary);
        Assert.Null(StatusOf(UserPlannerTests.Scram("billing", ("read", "patients"))).PhiAccess);
        Assert.True(UserStatusPlanner.Changed(null, physician), "a first status is always a change");
        Assert.False(UserStatusPlanner.Changed(physician, physician));
    }

    [Fact]
    public void Generated_passwords_are_long_distinct_and_need_no_escaping()
    {
        var passwords = Enumerable.Range(0, 200).Select(_ => PasswordGenerator.Generate()).ToList();
        Assert.All(passwords, p => Assert.True(p.Length >= 32 && p.All(char.IsAsciiLetterOrDigit)));
        Assert.Equal(passwords.Count, passwords.Distinct(StringComparer.Ordinal).Count());
        Assert.True(passwords.SelectMany(p => p).Distinct().Count() > 55, "the draw covers the alphabet");
    }

    [Fact]
    public void The_connection_string_requires_tls_with_the_ca_and_names_the_set()
    {
        var uri = ConnectionString.Scram(["phi-db-0.phi-db-hs.clinical.svc:27017", "phi-db-1.phi-db-hs.clinical.svc:27017"], "phi-db", "biller-1", "s3cret");
        Assert.Equal("mongodb://biller-1:s3cret@phi-db-0.phi-db-hs.clinical.svc:27017,phi-db-1.phi-db-hs.clinical.svc:27017/?replicaSet=phi-db&tls=true"
            + "&tlsCAFile=/etc/hipaa-mongo/user/ca.crt&tlsCertificateKeyFile=/etc/hipaa-mongo/user/tls-combined.pem&authSource=admin&authMechanism=SCRAM-SHA-256", uri);
        Assert.Contains("authMechanism=MONGODB-X509", ConnectionString.X509(["h:27017"], "rs"), StringComparison.Ordinal);
    }
}
