using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>
/// setFeatureCompatibilityVersion as mongod runs it (src/mongo/db/commands/set_feature_compatibility_version_command.cpp,
/// set_feature_compatibility_version.idl, feature_compatibility_version_parser.cpp; manual
/// "setFeatureCompatibilityVersion"): admin database, the cluster action setFeatureCompatibilityVersion, primary only.
/// The value must be one this binary knows: its own release (latest) or the last LTS before it (the
/// last-continuous release is not simulated); anything else is refused with the parser's message (4926900). From 7.0
/// an upgrade or a downgrade without confirm: true is refused (7369100, requireConfirmInSetFcv). Setting the current
/// value is a no-op. The new value is written to admin.system.version (durable, replicated like data) and the reply
/// waits for w: "majority" with the caller's wtimeout, as the command's ON_BLOCK_EXIT does; a member that is behind
/// delays the reply (or times it out with writeConcernError 64), it does not stop the change.
/// </summary>
internal static class FcvCommands
{
    public static IEnumerable<CommandSpec> Specs()
    {
        yield return new CommandSpec
        {
            Name = "setFeatureCompatibilityVersion",
            AdminOnly = true,
            ClusterAction = "setFeatureCompatibilityVersion",
            PrimaryOnly = true,
            Handler = SetAsync,
        };
    }

    private static async Task<BsonDocument> SetAsync(CommandContext ctx)
    {
        var requested = ctx.Argument as BsonString
            ?? throw new CommandException(ErrorCodes.TypeMismatch, "BSON field 'setFeatureCompatibilityVersion.setFeatureCompatibilityVersion' is the wrong type, expected type 'string'");
        var binary = ctx.State.Profile.VersionArray;
        var (latest, lastLts, lastContinuous) = Versions(binary[0], binary[1]);
        if (requested.Value != latest && requested.Value != lastLts)
        {
            throw new CommandException(4926900,
                $"Invalid feature compatibility version value '{requested.Value}'; expected '{lastLts}' or '{lastContinuous}' or '{latest}'. See https://docs.mongodb.com/master/release-notes/{lastLts}-compatibility/#feature-compatibility.");
        }

        var actual = ctx.State.Parameters.Get("featureCompatibilityVersion")["version"].AsString;
        if (requested.Value != actual)
        {
            RequireConfirm(ctx, requested.Value, actual, binary[0]);
            ctx.State.Parameters.Store("featureCompatibilityVersion", new BsonDocument("version", requested.Value));
            ctx.State.Repl.ReplicateFcv(requested.Value);
        }

        var reply = new BsonDocument();
        await WriteConcern.AwaitAsync(ctx, reply, forcedW: "majority");
        return reply;
    }

    // requireConfirmInSetFcv (on from 7.0): an upgrade or downgrade needs confirm: true.
    private static void RequireConfirm(CommandContext ctx, string requested, string actual, int major)
    {
        if (major < 7 || ctx.Command.GetValue("confirm", false).ToBoolean())
        {
            return;
        }

        var upgrade = new Version(requested) > new Version(actual);
        throw new CommandException(7369100, upgrade
            ? $"Once you have upgraded to {requested}, you will not be able to downgrade FCV and binary version without support assistance. Please re-run this command with 'confirm: true' to acknowledge this and continue with the FCV upgrade."
            : "Once you have downgraded the FCV, if you choose to downgrade the binary version, it will require support assistance. Please re-run this command with 'confirm: true' to acknowledge this and continue with the FCV downgrade.");
    }

    // Release lines: LTS majors x.0 with the rapid releases x.1-x.3 in between (manual "MongoDB Versioning"): the
    // last LTS before x.0 is (x-1).0 and the last continuous (x-1).3; before 6.0, 5.0's previous LTS is 4.4.
    internal static (string Latest, string LastLts, string LastContinuous) Versions(int major, int minor) =>
        (major, minor) switch
        {
            (5, 0) => ("5.0", "4.4", "4.4"),
            (_, 0) => ($"{major}.0", $"{major - 1}.0", $"{major - 1}.3"),
            _ => ($"{major}.{minor}", $"{major}.0", $"{major}.{minor - 1}"),
        };
}
