using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members.Analysis;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>
/// buildInfo against spec.version and spec.edition (manual, buildInfo: version, modules; Percona Server for MongoDB
/// adds psmdbVersion): another release or another edition is a difference, never accepted.
/// </summary>
public sealed class ServerBuildTests
{
    private static BsonDocument Build(string version, bool enterprise = false, string? psmdb = null)
    {
        var doc = new BsonDocument { { "version", version }, { "modules", enterprise ? new BsonArray { "enterprise" } : new BsonArray() }, { "ok", 1.0 } };
        if (psmdb is not null)
        {
            doc["psmdbVersion"] = psmdb;
        }
        return doc;
    }

    [Fact]
    public void The_declared_enterprise_build_has_no_difference() =>
        Assert.Empty(ServerBuild.Differences(Build("8.0.4", enterprise: true), MongoEdition.Enterprise, "8.0.4")!);

    [Fact]
    public void A_percona_build_with_its_release_suffix_is_the_declared_version() =>
        Assert.Empty(ServerBuild.Differences(Build("8.0.12-4", psmdb: "8.0.12-4"), MongoEdition.Percona, "8.0.12")!);

    [Fact]
    public void Another_version_from_spec_image_is_named()
    {
        var d = ServerBuild.Differences(Build("4.4.29", enterprise: true), MongoEdition.Enterprise, "8.0.4")!;
        Assert.Equal(["buildInfo version is 4.4.29, not the declared 8.0.4"], d);
    }

    [Theory]
    [InlineData(false, null, MongoEdition.Enterprise, "buildInfo shows Community, not the declared Enterprise")]
    [InlineData(false, "8.0.4-1", MongoEdition.Enterprise, "buildInfo shows Percona, not the declared Enterprise")]
    [InlineData(true, null, MongoEdition.Percona, "buildInfo shows Enterprise, not the declared Percona")]
    [InlineData(false, null, MongoEdition.Percona, "buildInfo shows Community, not the declared Percona")]
    public void Another_edition_is_named(bool enterprise, string? psmdb, MongoEdition declared, string expected) =>
        Assert.Equal([expected], ServerBuild.Differences(Build("8.0.4", enterprise, psmdb), declared, "8.0.4")!);

    [Fact]
    public void An_unread_or_versionless_reply_is_not_read()
    {
        Assert.Null(ServerBuild.Differences(null, MongoEdition.Enterprise, "8.0.4"));
        Assert.Null(ServerBuild.Differences(new BsonDocument("ok", 0.0), MongoEdition.Enterprise, "8.0.4"));
        Assert.Null(ServerBuild.Differences(new BsonDocument { { "version", 8 } }, MongoEdition.Enterprise, "8.0.4"));
    }

    [Fact]
    public void The_analysis_of_a_member_on_a_foreign_image_reports_it_and_its_parameters_carry_it()
    {
        var expected = Snapshots.Expect();
        var foreign = Snapshots.Hardened(expected) with { BuildInfo = Build("4.4.29", enterprise: true) };
        var analysis = MemberAnalyzer.Analyze(foreign, expected);
        Assert.Contains(analysis.Uncorrectable, u => u.StartsWith("buildInfo version is 4.4.29, not the declared 8.0.4", StringComparison.Ordinal));
        Assert.Equal(["buildInfo version is 4.4.29, not the declared 8.0.4"], analysis.Parameters.BuildDifferences);
        Assert.Empty(MemberAnalyzer.Analyze(Snapshots.Hardened(expected), expected).Parameters.BuildDifferences!);
    }
}
