using System.Globalization;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>`members [--quick] [--sets N]`: pure argument parsing.</summary>
public static class MembersArgs
{
    public const string Usage = "usage: members [--quick] [--sets N]   (quick: 30 replica sets; default: 100 sets, 300 members; --sets N overrides the count, 1..200)";
    const int MaxSets = 200;

    /// <summary>The profile the arguments ask for, or null when they are not understood (or --help).</summary>
    public static MembersProfile? Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var quick = false;
        int? sets = null;
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--quick")
            {
                quick = true;
            }
            else if (args[i] == "--sets" && i + 1 < args.Count && sets is null
                && int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxSets)
            {
                sets = n;
            }
            else
            {
                return null;
            }
        }

        var profile = quick ? MembersProfile.Quick : MembersProfile.Full;
        return sets is { } count ? profile with { Sets = count } : profile;
    }
}
