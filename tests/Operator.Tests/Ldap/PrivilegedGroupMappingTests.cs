using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Entities.Validation;
using HipaaMongo.Operator.Tests.Reconciliation;

namespace HipaaMongo.Operator.Tests.Ldap;

/// <summary>
/// A spec.ldap.groupRoleMappings entry that gives a directory group root is accepted by admission (the CRD has no
/// rule for it) and refused by the operator's validation: Stalled and Ready False with reason SpecInvalid naming the
/// entry, one SpecInvalid Warning Event, and nothing applied (no child object written).
/// </summary>
public sealed class PrivilegedGroupMappingTests
{
    [Fact(Timeout = 60_000)]
    public async Task A_group_mapped_to_root_is_refused_with_a_condition_and_an_event_and_nothing_is_applied()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        var sample = OperatorHarness.Sample();
        sample["spec"]!["edition"] = "Percona";
        sample["spec"]!["version"] = "8.0.12";
        sample["spec"]!["ldap"] = JsonNode.Parse("""
            {
              "servers": ["ldaps://ldap.directory.svc.cluster.local:636"],
              "transportSecurity": "LDAPS",
              "bindDn": "cn=mongodb-query,ou=services,dc=example,dc=org",
              "bindPasswordSecretRef": {"name": "ldap-bind", "key": "password"},
              "caSecretRef": {"name": "ldap-ca", "key": "ca.crt"},
              "authzQueryTemplate": "ou=groups,dc=example,dc=org??one?(member={USER})",
              "groupRoleMappings": [
                {"group": "cn=phi-readers,ou=groups,dc=example,dc=org", "roles": [{"role": "read", "db": "patients"}]},
                {"group": "cn=dba,ou=groups,dc=example,dc=org", "roles": [{"role": "root", "db": "admin"}]}
              ]
            }
            """);
        await h.CreateAsync(sample, ct);

        var stalled = await OperatorHarness.EventuallyAsync(() => h.ConditionAsync(ConditionTypes.Stalled, ct),
            c => c?["status"]?.GetValue<string>() == "True", "Stalled=True", ct);
        Assert.Equal(ConditionReasons.SpecInvalid, stalled!["reason"]!.GetValue<string>());
        var message = stalled["message"]!.GetValue<string>();
        Assert.Contains("spec.ldap.groupRoleMappings[1].roles[0].role", message, StringComparison.Ordinal);
        Assert.Contains(LdapGroupAccess.RefusedRoleMessage("cn=dba,ou=groups,dc=example,dc=org", "root", "admin"), message, StringComparison.Ordinal);
        Assert.Equal("False", (await h.ConditionAsync(ConditionTypes.Ready, ct))!["status"]!.GetValue<string>());
        await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct), es => es.Any(e => e.Reason == ConditionReasons.SpecInvalid), "SpecInvalid event", ct);

        await h.PassAsync(ct); // a further pass repeats neither the status write nor the Event

        var childWrites = h.Server.AuditTrail.Writes
            .Where(w => w.Resource is not ("hipaamongos" or "events" or "namespaces" or "customresourcedefinitions"))
            .Select(w => $"{w.Verb} {w.Resource} {w.Name}").ToList();
        Assert.Empty(childWrites);
        var warning = Assert.Single(await h.EventsAsync(ct), e => e.Reason == ConditionReasons.SpecInvalid);
        Assert.Equal("Warning", warning.Type);
        Assert.Contains("cn=dba", warning.Message, StringComparison.Ordinal);
        Assert.Contains("least-privilege", warning.Message, StringComparison.Ordinal);
    }
}
