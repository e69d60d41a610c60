using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// Pure: whether a member runs the build the spec declares, from its buildInfo reply (manual, buildInfo: version,
/// modules; "enterprise" in modules for MongoDB Enterprise; Percona Server for MongoDB adds psmdbVersion). The image
/// is whatever spec.image names, so only what the running binary reports proves the version and edition. Versions
/// compare on major.minor.patch (a vendor suffix such as Percona's "-4" is the build of that release).
/// </summary>
public static class ServerBuild
{
    /// <summary>Each way the member differs (empty: as declared); null when buildInfo was not read or has no version.</summary>
    public static IReadOnlyList<string>? Differences(BsonDocument? buildInfo, MongoEdition edition, string? declaredVersion)
    {
        if (BsonRead.String(BsonRead.At(buildInfo, "version")) is not { Length: > 0 } version)
        {
            return null;
        }
        var differences = new List<string>();
        if (declaredVersion is { Length: > 0 } declared && Release(version) != Release(declared))
        {
            differences.Add($"buildInfo version is {version}, not the declared {declared}");
        }
        var running = EditionOf(buildInfo!);
        if (running != edition.ToString())
        {
            differences.Add($"buildInfo shows {running}, not the declared {edition}");
        }
        return differences;
    }

    // Enterprise: modules holds "enterprise"; Percona: psmdbVersion is present; anything else is a community build.
    private static string EditionOf(BsonDocument buildInfo)
    {
        var modules = BsonRead.Array(BsonRead.At(buildInfo, "modules"))?.OfType<BsonString>().Select(m => m.Value) ?? [];
        if (modules.Contains("enterprise", StringComparer.Ordinal))
        {
            return nameof(MongoEdition.Enterprise);
        }
        return BsonRead.String(BsonRead.At(buildInfo, "psmdbVersion")) is not null ? nameof(MongoEdition.Percona) : "Community";
    }

    private static string Release(string version) => version.Split('-', 2)[0].Trim();
}
