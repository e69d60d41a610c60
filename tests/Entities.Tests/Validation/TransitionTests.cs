using HipaaMongo.Entities.Tests.Crds;
using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Entities.Tests.Validation;

public class TransitionTests
{
    private static IReadOnlyList<ValidationError> Update(Action<HipaaMongoSpec> change, Action<HipaaMongoSpec>? before = null)
    {
        var old = Specs.Valid();
        before?.Invoke(old);
        var updated = Specs.Valid();
        before?.Invoke(updated);
        change(updated);
        return HipaaMongoValidator.Validate(updated, old);
    }

    // The CRD's transition rules on the same update, as the API server evaluates them (what really protects: the
    // operator validates without the old object).
    private static List<string> CelUpdate(Action<HipaaMongoSpec> change, Action<HipaaMongoSpec>? before = null)
    {
        var old = Specs.Valid();
        before?.Invoke(old);
        var updated = Specs.Valid();
        before?.Invoke(updated);
        change(updated);
        return CelRunner.FailingMessages(Resource(updated), Resource(old));
    }

    private static HipaaMongoResource Resource(HipaaMongoSpec spec) =>
        new() { Metadata = new() { Name = "rs0", NamespaceProperty = "phi" }, Spec = spec };

    [Fact]
    public void Edition_change_is_refused() =>
        Assert.Contains(new ValidationError("spec.edition", "edition is immutable: migrate the data to a new HipaaMongo instead"),
            Update(s => s.Edition = MongoEdition.Percona));

    [Fact]
    public void Scaling_by_one_step_is_allowed() => Assert.Empty(Update(s => s.Members = 5));

    [Fact]
    public void Scaling_by_two_steps_is_refused() =>
        Assert.Contains(new ValidationError("spec.members", "members change by one step at a time (3 -> 5 -> 7, or back)"),
            Update(s => s.Members = 7));

    [Fact]
    public void Scaling_down_by_two_steps_is_refused() =>
        Assert.Contains(new ValidationError("spec.members", "members change by one step at a time (3 -> 5 -> 7, or back)"),
            Update(s => s.Members = 3, before: s => s.Members = 7));

    [Fact]
    public void Storage_class_change_is_refused() =>
        Assert.Contains(new ValidationError("spec.storage.storageClassName", "storageClassName is immutable"),
            Update(s => s.Storage.StorageClassName = "other"));

    [Fact]
    public void Storage_growth_is_allowed() => Assert.Empty(Update(s => s.Storage.Size = "100Gi"));

    [Fact]
    public void Storage_shrink_is_refused() =>
        Assert.Contains(new ValidationError("spec.storage.size", "storage.size cannot shrink (from 50Gi to 40Gi)"),
            Update(s => s.Storage.Size = "40Gi"));

    [Theory]
    [InlineData("40Gi")]
    [InlineData("49Gi")]
    [InlineData("53687091199")]
    public void Storage_shrink_is_refused_by_the_crd(string size) =>
        Assert.Equal([$"storage.size cannot shrink (from 50Gi to {size})"], CelUpdate(s => s.Storage.Size = size));

    [Theory]
    [InlineData("50Gi")]
    [InlineData("53687091200")]
    [InlineData("51200Mi")]
    [InlineData("100Gi")]
    public void Storage_growth_or_the_same_size_in_other_units_passes_the_crd(string size) =>
        Assert.Empty(CelUpdate(s => s.Storage.Size = size));

    [Fact]
    public void Version_downgrade_is_refused_by_the_crd() =>
        Assert.Equal(["version downgrade from 8.0.4 to 7.0.14 is refused: downgrades need a feature-compatibility rollback done by hand"],
            CelUpdate(s => s.Version = "7.0.14"));

    [Theory]
    [InlineData("7.0.12", "8.0.9")]
    [InlineData("8.0.4", "8.0.3")]
    [InlineData("7.0.14", "7.0.2")]
    public void Upgrades_and_patch_changes_within_a_series_pass_the_crd_and_the_validator(string from, string to)
    {
        Assert.Empty(CelUpdate(s => s.Version = to, before: s => s.Version = from));
        Assert.Empty(Update(s => s.Version = to, before: s => s.Version = from));
    }

    // Upgrades go one major version at a time (a binary opens only data whose featureCompatibilityVersion is its
    // previous release: feature_compatibility_version.cpp initializeForStartup). The version pattern is what refuses a
    // skip today: it admits only releases within one major of each other, so no admitted upgrade skips one. A pattern
    // widened to a third major must come with a rule refusing the skip, or this fails.
    [Fact]
    public void The_version_pattern_admits_no_upgrade_that_skips_a_major_version()
    {
        var admitted = Enumerable.Range(3, 10).SelectMany(major => Enumerable.Range(0, 4).Select(minor => $"{major}.{minor}.1"))
            .Where(v => System.Text.RegularExpressions.Regex.IsMatch(v, ValidationPatterns.Version)).ToList();
        var majors = admitted.Select(v => int.Parse(v.Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();

        Assert.Equal(["7.0.1", "8.0.1"], admitted);
        Assert.True(majors.Max() - majors.Min() <= 1, $"the pattern admits majors {string.Join(", ", majors)}: add a rule refusing a skipped major");
    }

    [Fact]
    public void Major_upgrade_is_allowed() => Assert.Empty(Update(s => s.Version = "8.0.9", before: s => s.Version = "7.0.12"));

    [Fact]
    public void Major_downgrade_is_refused() =>
        Assert.Contains(new ValidationError("spec.version",
                "version downgrade from 8.0.4 to 7.0.12 is refused: downgrades need a feature-compatibility rollback done by hand"),
            Update(s => s.Version = "7.0.12"));

    [Fact]
    public void Key_identifier_cannot_change() =>
        Assert.Contains(new ValidationError("spec.encryption.kmip.keyIdentifier",
                "keyIdentifier cannot change or be removed once set: rotate the master key instead"),
            Update(s => s.Encryption.Kmip.KeyIdentifier = "key-2", before: s => s.Encryption.Kmip.KeyIdentifier = "key-1"));

    [Fact]
    public void Key_identifier_cannot_be_removed() =>
        Assert.Contains(new ValidationError("spec.encryption.kmip.keyIdentifier",
                "keyIdentifier cannot change or be removed once set: rotate the master key instead"),
            Update(s => s.Encryption.Kmip.KeyIdentifier = null, before: s => s.Encryption.Kmip.KeyIdentifier = "key-1"));
}
