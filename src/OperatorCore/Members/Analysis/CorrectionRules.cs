using System.Globalization;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>What to do about one drifted runtime parameter: commands to run, or why it is left alone.</summary>
internal sealed record Remedy(IReadOnlyList<PlannedCorrection> Commands, string? NotCorrectedBecause)
{
    public static Remedy Run(PlannedCorrection command) => new([command], null);

    public static Remedy Leave(string why) => new([], why);
}

/// <summary>
/// The runtime rules mongod enforces for setParameter, and the operator's rule that no command weakens a setting.
/// tlsMode moves only allowTLS -> preferTLS -> requireTLS and clusterAuthMode only keyFile -> sendKeyFile ->
/// sendX509 -> x509, one step per command (MongoDB manual, "Upgrade a Cluster to Use TLS/SSL" and "Upgrade
/// from Keyfile Authentication to x.509"; docs/mongod-simulator.md). The manual's procedures move every member
/// one step before any member takes the next, so one analysis plans one step; the next verification takes
/// the next one.
/// </summary>
internal static class CorrectionRules
{
    public const string Admin = "admin";

    private static readonly string[] TlsModes = ["disabled", "allowTLS", "preferTLS", "requireTLS"];
    private static readonly string[] ClusterAuthModes = ["keyFile", "sendKeyFile", "sendX509", "x509"];

    /// <summary>Boolean parameters and the value that is the stronger one.</summary>
    private static readonly Dictionary<string, bool> StrongerBool = new(StringComparer.Ordinal)
    {
        ["redactClientLogData"] = true,
        ["auditAuthorizationSuccess"] = true,
    };

    /// <summary>Runtime-settable parameters the operator does not change (startup-only ones in mongod's words).</summary>
    private static readonly HashSet<string> StartupOnly = new(StringComparer.Ordinal)
    {
        "authenticationMechanisms", "enableLocalhostAuthBypass", "tlsX509ExpirationWarningThresholdDays",
    };

    /// <summary>The remedy for a drifted runtime parameter; <paramref name="tlsModeNow"/> is the member's getParameter tlsMode.</summary>
    public static Remedy For(string parameter, BsonValue found, object desired, string? tlsModeNow) => parameter switch
    {
        "tlsMode" => TlsStep(found, desired),
        "clusterAuthMode" => ClusterAuthStep(found, desired, tlsModeNow),
        _ when StrongerBool.TryGetValue(parameter, out var stronger) => BoolTowards(parameter, found, desired, stronger),
        _ when LdapParameters.All.Any(m => m.Parameter == parameter) => Set(parameter, found, desired),
        _ when StartupOnly.Contains(parameter) => Remedy.Leave("mongod accepts it only at startup"),
        _ => Remedy.Leave("the operator does not change it at runtime"),
    };

    /// <summary>Raises scramSHA256IterationCount to the minimum; a higher count is stronger and left alone.</summary>
    public static PlannedCorrection? ScramIterations(BsonValue? found, int minimum) =>
        BsonRead.Integer(found) is { } count && count < minimum
            ? SetParameter("scramSHA256IterationCount", found!, BsonValue.Create(minimum))
            : null;

    /// <summary>{profile: 0} on a database whose profiler level (reply of {profile: -1}, field "was") is not 0.</summary>
    public static PlannedCorrection? ProfilerOff(string database, BsonDocument reply) =>
        BsonRead.Integer(BsonRead.At(reply, "was")) is { } level and not 0
            ? new($"profiler level on database {database}", level.ToString(CultureInfo.InvariantCulture), "0", database, new BsonDocument("profile", 0))
            : null;

    private static Remedy TlsStep(BsonValue found, object desired) =>
        Step("tlsMode", found, desired, TlsModes, from => from == "disabled"
            ? "TLS cannot be enabled at runtime; the member needs a restart with the rendered configuration"
            : null);

    // x509-capable modes need TLS between members first (mongod refuses them under disabled/allowTLS).
    private static Remedy ClusterAuthStep(BsonValue found, object desired, string? tlsModeNow) =>
        Step("clusterAuthMode", found, desired, ClusterAuthModes, from =>
        {
            var next = Next(ClusterAuthModes, from);
            return next is "sendX509" or "x509" && tlsModeNow is not ("preferTLS" or "requireTLS")
                ? "it can move towards x509 only after tlsMode is preferTLS or requireTLS"
                : null;
        });

    private static Remedy Step(string name, BsonValue found, object desired, string[] order, Func<string, string?> blocked)
    {
        var from = BsonRead.String(found);
        var at = Array.IndexOf(order, from);
        var target = Array.IndexOf(order, desired as string);
        if (from is null || at < 0 || target < 0)
        {
            return Remedy.Leave($"the value is not one of {string.Join(", ", order)}");
        }

        if (at >= target)
        {
            return Remedy.Leave("moving it back would weaken it");
        }

        return blocked(from) is { } why ? Remedy.Leave(why) : Remedy.Run(SetParameter(name, found, order[at + 1]));
    }

    private static string? Next(string[] order, string from) =>
        Array.IndexOf(order, from) is var i and >= 0 && i + 1 < order.Length ? order[i + 1] : null;

    private static Remedy BoolTowards(string name, BsonValue found, object desired, bool stronger) =>
        desired is bool d && d == stronger && BsonRead.Bool(found) == !stronger
            ? Remedy.Run(SetParameter(name, found, d))
            : Remedy.Leave("setting it back would reduce what is protected or audited");

    private static Remedy Set(string name, BsonValue found, object desired) =>
        desired is string or int or long or bool
            ? Remedy.Run(SetParameter(name, found, BsonValue.Create(desired)))
            : Remedy.Leave("the desired value has no BSON form");

    private static PlannedCorrection SetParameter(string name, BsonValue found, BsonValue value) =>
        new(name, ShownValue.Of(name, found), ShownValue.Of(name, value), Admin,
            new BsonDocument { { "setParameter", 1 }, { name, value } });
}
