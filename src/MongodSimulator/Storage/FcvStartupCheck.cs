using HipaaMongo.MongodSimulator.Commands;
using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Storage;

/// <summary>
/// A binary refuses data files whose featureCompatibilityVersion it does not know, as mongod does at startup:
/// FeatureCompatibilityVersion::initializeForStartup (src/mongo/db/commands/feature_compatibility_version.cpp) parses
/// admin.system.version's document and raises MustDowngrade "UPGRADE PROBLEM: Found an invalid featureCompatibilityVersion
/// document (ERROR: ...)" when the value is not the binary's latest, last-continuous or last-LTS release; mongod_main.cpp
/// logs it as "Wrong mongod version" (id 20573) and exits with EXIT_NEED_DOWNGRADE (62). So an 8.0 binary starts on
/// 7.0 data (FCV 7.0), a 7.0 binary does not start on data whose FCV was raised to 8.0, and no binary skips a release.
/// </summary>
internal static class FcvStartupCheck
{
    /// <summary>mongod's exit code for data its binary cannot open (src/mongo/util/exit_code.h, needDowngrade).</summary>
    public const int NeedDowngradeExitCode = 62;

    /// <summary>Throws, as mongod exits, when <paramref name="catalog"/>'s FCV is one the binary <paramref name="major"/>.<paramref name="minor"/> does not accept.</summary>
    public static void Check(BsonDocument catalog, int major, int minor)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog.GetValue("admin.system.version", new BsonArray()).AsBsonArray.FirstOrDefault() is not BsonDocument document
            || document.GetValue("version", BsonNull.Value) is not BsonString { Value: var version })
        {
            return; // a clean start: replSetInitiate (or the first write) creates the document
        }
        var (latest, lastLts, lastContinuous) = FcvCommands.Versions(major, minor);
        if (version == latest || version == lastLts || version == lastContinuous)
        {
            return;
        }
        var docs = $"https://docs.mongodb.com/master/release-notes/{lastLts}-compatibility/#feature-compatibility";
        throw new MongodConfigException(
            "Wrong mongod version: UPGRADE PROBLEM: Found an invalid featureCompatibilityVersion document (ERROR: Location4926900: Invalid "
            + $"featureCompatibilityVersion document in admin.system.version: {{ _id: \"featureCompatibilityVersion\", version: \"{version}\" }}. See {docs}. "
            + $":: caused by :: Invalid feature compatibility version value '{version}'; expected '{lastLts}' or '{lastContinuous}' or '{latest}'. See {docs}.). "
            + $"If the current featureCompatibilityVersion is below {lastLts}, see the documentation on upgrading at "
            + $"https://docs.mongodb.com/master/release-notes/{lastLts}/#upgrade-procedures.", NeedDowngradeExitCode);
    }
}
