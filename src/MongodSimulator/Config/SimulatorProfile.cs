namespace HipaaMongo.MongodSimulator.Config;

/// <summary>Which server build is being simulated; editions differ in options, parameters and commands.</summary>
public enum Edition
{
    Community,
    Enterprise,
    Psmdb,
}

/// <summary>The simulated build: 7.0.x (maxWireVersion 21) or 8.0.x (25), and the edition.</summary>
public sealed record SimulatorProfile(Edition Edition = Edition.Enterprise, string Version = "8.0.4")
{
    public int MaxWireVersion => Version.StartsWith("7.", StringComparison.Ordinal) ? 21 : 25;

    public bool IsCommercial => Edition != Edition.Community;

    public int[] VersionArray
    {
        get
        {
            // PSMDB versions carry Percona's build number after '-' ("8.0.12-4"); versionArray holds only x.y.z.
            var parts = Version.Split('-')[0].Split('.').Select(p => int.TryParse(p, out var n) ? n : 0).ToList();
            while (parts.Count < 3)
            {
                parts.Add(0);
            }

            return [parts[0], parts[1], parts[2], 0];
        }
    }

    public static Edition ParseEdition(string text) => text.ToLowerInvariant() switch
    {
        "community" => Edition.Community,
        "enterprise" => Edition.Enterprise,
        "psmdb" or "percona" => Edition.Psmdb,
        _ => throw new ArgumentException($"unknown edition '{text}' (community, enterprise, psmdb)", nameof(text)),
    };
}
