using HipaaMongo.MongodSimulator.Audit;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>auditLog.filter as the simulator evaluates it: a regex value matches a string field, as in mongod.</summary>
public sealed class AuditFilterTests
{
    // The PHIAccess profile's successful-read clause as the operator renders it (AuditFilters.PhiAccess): the dot
    // escaped with two backslashes, one of which fromjson takes as the JSON escape of the other.
    private static readonly BsonDocument PhiReads = BsonDocument.Parse(
        """{ $or: [ { atype: "authenticate" }, { atype: "authCheck", "param.ns": /^(patients)\\./, "param.command": { $in: [ "find" ] } } ] }""");

    [Theory]
    [InlineData("patients.records", "find", true)]
    [InlineData("billing.records", "find", false)]
    [InlineData("patientsX.records", "find", false)]
    [InlineData("patients\\records", "find", false)]
    [InlineData("patients.records", "insert", false)]
    public void A_regex_matches_the_namespace_of_an_authCheck(string ns, string command, bool audited)
    {
        var authCheck = new BsonDocument { { "atype", "authCheck" }, { "param", new BsonDocument { { "command", command }, { "ns", ns } } } };

        Assert.Equal(audited, AuditFilter.Matches(PhiReads, authCheck));
    }
}
