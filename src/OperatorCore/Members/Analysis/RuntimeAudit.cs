using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>What the runtime audit configuration shows against the rendered audit settings.</summary>
/// <param name="Differences">"filter", "auditAuthorizationSuccess", "destination"; null when the reply was not read.</param>
/// <param name="Sentences">One uncorrectable-drift sentence per difference.</param>
/// <param name="AuditingOn">Percona: false when auditGetOptions reports no destination (auditing off); else null.</param>
internal sealed record RuntimeAuditReading(IReadOnlyList<string>? Differences, IReadOnlyList<string> Sentences, bool? AuditingOn)
{
    public static RuntimeAuditReading NotRead { get; } = new(null, [], null);
}

/// <summary>
/// Reads the runtime audit configuration. Enterprise: getClusterParameter "auditConfig" (manual, cluster-parameters/
/// auditConfig: {clusterParameters: [{_id: "auditConfig", clusterParameterTime, filter: &lt;document&gt;,
/// auditAuthorizationSuccess: &lt;bool&gt;}]}; members not taking part in runtime audit configuration report their
/// configuration-file values). Percona: auditGetOptions (percona-server-mongodb audit_options.cpp AuditOptions::toBSON:
/// {format, path, destination, filter: &lt;string&gt;}, filter "{}" and destination "" by default).
/// Nothing here is corrected: setClusterParameter auditConfig only affects members started with
/// auditLog.runtimeConfiguration true, which the baseline forbids (secure-baseline.md 4.1), and Percona has no
/// runtime audit configuration at all.
/// </summary>
internal static class RuntimeAudit
{
    public static RuntimeAuditReading Read(BsonDocument? reply, MemberExpectations expected) =>
        expected.Edition == MongoEdition.Enterprise ? Enterprise(reply, expected) : Percona(reply, expected);

    private static RuntimeAuditReading Enterprise(BsonDocument? reply, MemberExpectations expected)
    {
        var entry = BsonRead.Array(BsonRead.At(reply, "clusterParameters"))?.OfType<BsonDocument>()
            .SingleOrDefault(d => BsonRead.String(BsonRead.At(d, "_id")) == "auditConfig");
        if (entry is null || BsonRead.Document(BsonRead.At(entry, "filter")) is not { } filter
            || BsonRead.At(entry, "auditAuthorizationSuccess") is not BsonBoolean success)
        {
            return RuntimeAuditReading.NotRead;
        }

        const string why = "not corrected at runtime: setClusterParameter auditConfig applies only to members started with "
            + "auditLog.runtimeConfiguration true, which the baseline forbids; only a restart with the rendered configuration changes it";
        var found = new Findings("getClusterParameter auditConfig", why);
        found.Filter(filter, filter.ToJson(), Rendered(expected, "auditLog.filter") as string);
        if (Rendered(expected, "setParameter.auditAuthorizationSuccess") is bool desired && desired != success.Value)
        {
            found.Add("auditAuthorizationSuccess", $"auditConfig.auditAuthorizationSuccess is {Bool(success.Value)}; the baseline requires {Bool(desired)}");
        }

        return found.Result(null);
    }

    private static RuntimeAuditReading Percona(BsonDocument? reply, MemberExpectations expected)
    {
        if (BsonRead.String(BsonRead.At(reply, "filter")) is not { } text || FilterEquality.Parse(text) is not { } filter
            || BsonRead.String(BsonRead.At(reply, "destination")) is not { } destination)
        {
            return RuntimeAuditReading.NotRead;
        }

        var found = new Findings("auditGetOptions", "not corrected at runtime: only a restart with the rendered configuration changes it");
        found.Filter(filter, text, Rendered(expected, "auditLog.filter") as string);
        if (Rendered(expected, "auditLog.destination") is string desired && desired != destination)
        {
            var shown = destination.Length == 0 ? "none (auditing is off)" : ShownValue.Of("auditLog.destination", destination);
            found.Add("destination", $"auditGetOptions reports audit destination {shown}; the baseline requires {ShownValue.Of("auditLog.destination", desired)}");
        }

        return found.Result(destination.Length > 0);
    }

    private static object? Rendered(MemberExpectations expected, string path) =>
        expected.Options.FirstOrDefault(o => o.Path == path && o.Expectation == Expectation.Equals)?.Value;

    private static string Bool(bool b) => b ? "true" : "false";

    /// <summary>Collects differences and their sentences for one reply.</summary>
    private sealed class Findings(string source, string why)
    {
        private readonly List<string> _differences = [];
        private readonly List<string> _sentences = [];

        public void Add(string what, string sentence)
        {
            _differences.Add(what);
            _sentences.Add($"{sentence} ({why})");
        }

        // An unparsable rendered filter is a broken baseline the startup comparison already reports; not compared here.
        // liveText is the filter as the member printed it (Percona's string), or the document's JSON (Enterprise).
        public void Filter(BsonDocument live, string liveText, string? rendered)
        {
            if (FilterEquality.Parse(rendered) is { } desired && !FilterEquality.Same(live, desired))
            {
                Add("filter", $"runtime audit filter ({source}) is {ShownValue.Of("auditLog.filter", liveText)}; "
                    + $"the baseline requires the rendered filter {ShownValue.Of("auditLog.filter", rendered!)}");
            }
        }

        public RuntimeAuditReading Result(bool? auditingOn) => new(_differences, _sentences, auditingOn);
    }
}
