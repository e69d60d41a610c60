using System.Text.RegularExpressions;
using HipaaMongo.MongodSimulator.Config;

namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>Recognises mongod container images and the build they stand for, pure.</summary>
public static partial class MongodImage
{
    private const string DefaultVersion = "8.0.4";

    /// <summary>True for mongodb-enterprise-server, percona-server-mongodb, or any image whose own name mentions "mongo".</summary>
    public static bool IsMongod(string? image) =>
        !string.IsNullOrEmpty(image) && Name(image).Contains("mongo", StringComparison.OrdinalIgnoreCase);

    /// <summary>Edition from the repository name, version from the leading "x.y[.z]" of the tag (else 8.0.4).</summary>
    public static SimulatorProfile Profile(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var repo = Name(image);
        var edition = repo.Contains("percona", StringComparison.OrdinalIgnoreCase) ? Edition.Psmdb
            : repo.Contains("enterprise", StringComparison.OrdinalIgnoreCase) ? Edition.Enterprise
            : Edition.Community;
        var tag = Tag(image);
        var match = tag is null ? null : VersionPattern().Match(tag);
        return new SimulatorProfile(edition, match is { Success: true } ? match.Value : DefaultVersion);
    }

    // "registry:5000/org/name:tag@sha256:…" → "name" (a registry host or organisation says nothing about the server).
    private static string Name(string image)
    {
        var noDigest = image.Split('@')[0];
        var slash = noDigest.LastIndexOf('/');
        var colon = noDigest.LastIndexOf(':');
        return (colon > slash ? noDigest[..colon] : noDigest)[(slash + 1)..];
    }

    private static string? Tag(string image)
    {
        var noDigest = image.Split('@')[0];
        var slash = noDigest.LastIndexOf('/');
        var colon = noDigest.LastIndexOf(':');
        return colon > slash ? noDigest[(colon + 1)..] : null;
    }

    [GeneratedRegex(@"^\d+\.\d+(\.\d+)?")]
    private static partial Regex VersionPattern();
}
