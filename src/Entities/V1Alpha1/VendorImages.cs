namespace HipaaMongo.Entities;

/// <summary>
/// The default server images, pure. Enterprise tags are "X.Y.Z-ubi8"; Percona tags carry a build number
/// ("X.Y.Z-B", e.g. 8.0.12-4), so a bare "8.0.12-multi" does not exist and the default needs the build.
/// Like Percona's own operator (its version service and e2e-tests/release_versions), this carries a table of
/// the releases Percona published; a version outside it must name its image in spec.image (docs/baseline.md
/// lists the sources each entry was checked against).
/// </summary>
public static class VendorImages
{
    public const string EnterpriseRepository = "mongodb/mongodb-enterprise-server";
    public const string PerconaRepository = "percona/percona-server-mongodb";

    /// <summary>Server version -> the newest Percona build of it (release notes on docs.percona.com).</summary>
    private static readonly Dictionary<string, int> PerconaBuilds = new(StringComparer.Ordinal)
    {
        ["7.0.2"] = 1,
        ["7.0.4"] = 2,
        ["7.0.5"] = 3,
        ["7.0.7"] = 4,
        ["7.0.8"] = 5,
        ["7.0.11"] = 6,
        ["7.0.12"] = 7,
        ["7.0.14"] = 8,
        ["7.0.15"] = 9,
        ["7.0.16"] = 10,
        ["7.0.18"] = 11,
        ["7.0.22"] = 12,
        ["7.0.24"] = 13,
        ["7.0.26"] = 14,
        ["7.0.28"] = 15,
        ["7.0.30"] = 16,
        ["8.0.4"] = 2,
        ["8.0.8"] = 3,
        ["8.0.12"] = 4,
        ["8.0.16"] = 5,
        ["8.0.17"] = 6,
        ["8.0.19"] = 7,
    };

    /// <summary>The versions Percona published an image for, ascending.</summary>
    public static IReadOnlyList<string> KnownPerconaVersions { get; } =
        [.. PerconaBuilds.Keys.OrderBy(v => Version.Parse(v))];

    /// <summary>The Percona tag for a server version ("8.0.12" -> "8.0.12-4"), or null when none is known.</summary>
    public static string? PerconaTag(string version) =>
        PerconaBuilds.TryGetValue(version, out var build) ? $"{version}-{build}" : null;

    /// <summary>The default image for an edition and version, or null when no image of that version is known.</summary>
    public static string? Default(MongoEdition edition, string version) => edition == MongoEdition.Percona
        ? PerconaTag(version) is { } tag ? $"{PerconaRepository}:{tag}" : null
        : $"{EnterpriseRepository}:{version}-ubi8";
}
