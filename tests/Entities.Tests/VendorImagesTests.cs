namespace HipaaMongo.Entities.Tests;

/// <summary>The default images name tags that exist upstream (docs/baseline.md lists where each was checked).</summary>
public class VendorImagesTests
{
    [Theory]
    [InlineData("8.0.12", "percona/percona-server-mongodb:8.0.12-4")]
    [InlineData("8.0.4", "percona/percona-server-mongodb:8.0.4-2")]
    [InlineData("7.0.14", "percona/percona-server-mongodb:7.0.14-8")]
    [InlineData("7.0.30", "percona/percona-server-mongodb:7.0.30-16")]
    public void Percona_defaults_carry_the_build_number(string version, string image) =>
        Assert.Equal(image, VendorImages.Default(MongoEdition.Percona, version));

    [Fact]
    public void A_percona_version_without_a_published_build_has_no_default() =>
        Assert.Null(VendorImages.Default(MongoEdition.Percona, "8.0.5"));

    [Fact]
    public void Enterprise_defaults_use_the_ubi8_tag() =>
        Assert.Equal("mongodb/mongodb-enterprise-server:8.0.4-ubi8", VendorImages.Default(MongoEdition.Enterprise, "8.0.4"));

    [Fact]
    public void Every_known_percona_version_is_a_valid_spec_version() =>
        Assert.All(VendorImages.KnownPerconaVersions, v => Assert.Matches(ValidationPatterns.Version, v));

    [Fact]
    public void A_percona_spec_naming_its_image_needs_no_known_build()
    {
        var spec = Specs.Valid();
        spec.Edition = MongoEdition.Percona;
        spec.Version = "8.0.5";
        spec.Image = "registry.example.org/psmdb:8.0.5-custom";
        Assert.Empty(HipaaMongo.Entities.Validation.HipaaMongoValidator.Validate(spec, null));
    }
}
