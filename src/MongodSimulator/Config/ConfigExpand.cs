using System.Globalization;

namespace HipaaMongo.MongodSimulator.Config;

/// <summary>
/// Which expansion directives the command line allows (--configExpand) and how long one may run
/// (--configExpandTimeoutSecs, 30 s by default), read from argv as mongod's parseConfigExpand reads them
/// (src/mongo/util/options_parser/options_parser.cpp). Without it, an __exec or __rest block is refused.
/// </summary>
public sealed record ConfigExpand(bool Exec, bool Rest, TimeSpan Timeout)
{
    public static readonly ConfigExpand None = new(false, false, TimeSpan.FromSeconds(30));

    /// <summary>The directives enabled by <paramref name="argv"/>; a value other than none, exec or rest is refused as mongod refuses it.</summary>
    public static ConfigExpand FromArgv(IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        var expand = Option(argv, "--configExpand");
        var timeoutText = Option(argv, "--configExpandTimeoutSecs");
        if (expand is null || expand == "none")
        {
            return None;
        }

        var timeout = None.Timeout;
        if (timeoutText is not null)
        {
            if (!int.TryParse(timeoutText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var secs) || secs <= 0)
            {
                throw new MongodConfigException("Invalid value for configExpandTimeoutSecs");
            }

            timeout = TimeSpan.FromSeconds(secs);
        }

        bool exec = false, rest = false;
        foreach (var element in expand.Split(','))
        {
            switch (element)
            {
                case "exec":
                    exec = true;
                    break;
                case "rest":
                    rest = true;
                    break;
                default:
                    throw new MongodConfigException($"Invalid value for --configExpand: '{element}'");
            }
        }

        return new ConfigExpand(exec, rest, timeout);
    }

    // "--name value" or "--name=value"; the last one given wins, as boost::program_options keeps one value.
    private static string? Option(IReadOnlyList<string> argv, string name)
    {
        string? value = null;
        for (var i = 0; i < argv.Count; i++)
        {
            if (argv[i] == name && i + 1 < argv.Count)
            {
                value = argv[++i];
            }
            else if (argv[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                value = argv[i][(name.Length + 1)..];
            }
        }

        return value;
    }
}
