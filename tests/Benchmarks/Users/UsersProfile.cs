using System.Globalization;

namespace HipaaMongo.Benchmarks.Users;

/// <summary>
/// How big a `users` run is: HipaaMongoUsers spread evenly over replica sets, created in two waves (a tenth, then
/// the rest), so the per-user cost at scale is a ratio to the same cost at a tenth of it in the same run.
/// </summary>
public sealed record UsersProfile(string Name, int Sets, int Users, TimeSpan SettleLimit, TimeSpan RunLimit)
{
    /// <summary>The figure: 1,000 HipaaMongoUsers across 10 HipaaMongos.</summary>
    public static UsersProfile Full { get; } = new("full", 10, 1000, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(25));

    /// <summary>A tenth of it, so `make bench` stays within minutes on 2 shared cores.</summary>
    public static UsersProfile Quick { get; } = new("quick", 2, 100, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(10));

    /// <summary>The first wave: a tenth of the users (at least one per set).</summary>
    public int FirstWave => Math.Max(Sets, Users / 10);

    public const string Usage = "usage: users [--quick] [--sets N] [--users M]   (quick: 100 users on 2 sets; default: 1,000 users on 10 sets)";

    /// <summary>The profile the arguments ask for, or null when they are not understood (or --help). Pure.</summary>
    public static UsersProfile? Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var quick = false;
        int? sets = null, users = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
            }
            else if (args[i] == "--sets" && i + 1 < args.Count && sets is null && Count(args[++i], 1, 50) is { } s)
            {
                sets = s;
            }
            else if (args[i] == "--users" && i + 1 < args.Count && users is null && Count(args[++i], 10, 5000) is { } u)
            {
                users = u;
            }
            else
            {
                return null;
            }
        }

        var profile = quick ? Quick : Full;
        profile = profile with { Sets = sets ?? profile.Sets, Users = users ?? profile.Users };
        return profile.Users >= profile.Sets * 2 ? profile : null;
    }

    static int? Count(string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null;
}
