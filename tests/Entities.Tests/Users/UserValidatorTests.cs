using HipaaMongo.Entities.Crds;
using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Entities.Tests.Users;

public class UserValidatorTests
{
    [Fact]
    public void A_plain_x509_user_is_valid() =>
        Assert.Empty(HipaaMongoUserValidator.Validate(UserPolicyTests.User(("read", "patients")), null));

    [Fact]
    public void Rotation_belongs_to_generated_scram_passwords()
    {
        var user = UserPolicyTests.User(("read", "patients"));
        user.Spec.Authentication.Rotation = new RotationSpec();
        Assert.Contains(HipaaMongoUserValidator.Validate(user, null), e => e.FieldPath == "spec.authentication.rotation");

        user.Spec.Authentication.Type = UserAuthenticationType.ScramSha256;
        Assert.Empty(HipaaMongoUserValidator.Validate(user, null));

        user.Spec.Authentication.PasswordSecretRef = new SecretKeyReference { Name = "billing-pw", Key = "password" };
        Assert.Contains(HipaaMongoUserValidator.Validate(user, null), e => e.Message.Contains("externally managed", StringComparison.Ordinal));
    }

    [Fact]
    public void Rotation_durations_are_read_by_meaning()
    {
        var user = UserPolicyTests.User(("read", "patients"));
        user.Spec.Authentication.Type = UserAuthenticationType.ScramSha256;
        user.Spec.Authentication.Rotation = new RotationSpec { Period = "1h", GracePeriod = "2h", RenewBefore = "90m" };
        var errors = HipaaMongoUserValidator.Validate(user, null);
        Assert.Contains(errors, e => e.FieldPath.EndsWith("gracePeriod", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.FieldPath.EndsWith("renewBefore", StringComparison.Ordinal));
    }

    [Fact]
    public void An_admin_only_role_in_another_database_and_a_short_break_glass_reason_are_refused()
    {
        var user = UserPolicyTests.User(("clusterMonitor", "patients"));
        user.Spec.BreakGlass = new BreakGlassSpec { Reason = "because", Expiry = DateTime.UtcNow };
        var errors = HipaaMongoUserValidator.Validate(user, null);
        Assert.Contains(errors, e => e.Message.Contains("only in the admin database", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.FieldPath == "spec.breakGlass.reason");
    }

    [Fact]
    public void The_cluster_reference_and_the_username_are_immutable()
    {
        var old = UserPolicyTests.User(("read", "patients"));
        var changed = UserPolicyTests.User(("read", "patients"));
        changed.Spec.HipaaMongoRef.Name = "other-db";
        changed.Spec.Username = "someone";
        var errors = HipaaMongoUserValidator.Validate(changed, old);
        Assert.Contains(errors, e => e.FieldPath == "spec.hipaaMongoRef");
        Assert.Contains(errors, e => e.FieldPath == "spec.username");
    }

    [Fact]
    public void The_user_crd_has_the_short_name_and_the_columns_a_person_reads()
    {
        var crd = CrdGenerator.Generate(CrdGenerator.HipaaMongoUser);
        Assert.Equal(["hmu"], crd.Spec.Names.ShortNames);
        Assert.Equal("Namespaced", crd.Spec.Scope);
        Assert.Equal(["Ready", "Cluster", "Roles", "Last-Rotation", "Age"],
            crd.Spec.Versions[0].AdditionalPrinterColumns.Where(c => c.Priority is null).Select(c => c.Name));
        var status = crd.Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["status"];
        Assert.DoesNotContain(status.Properties.Keys, k => k.Contains("password", StringComparison.OrdinalIgnoreCase));
    }
}
