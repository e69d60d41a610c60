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
