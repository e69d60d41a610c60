using HipaaMongo.Entities;
using HipaaMongo.Operator.Ldap;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Ldap;

/// <summary>The DirectoryReachable condition from the operator's LDAPS probe (pure).</summary>
public sealed class DirectoryConditionTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void An_outage_names_the_servers_and_says_x509_keeps_working_a_pass_without_a_probe_keeps_it_and_an_answer_clears_it()
    {
        var conditions = new List<V1Condition>();
        var down = new DirectoryObservation(["dc1.example.org:636", "dc2.example.org:636"], null, "dc1.example.org:636: no connection (ConnectionRefused)");

        Assert.True(DirectoryCondition.Apply(conditions, true, down, 1, Now));
        var condition = Assert.Single(conditions);
        Assert.Equal((ConditionTypes.DirectoryReachable, "False", ConditionReasons.LdapUnreachable), (condition.Type, condition.Status, condition.Reason));
        Assert.Contains("dc1.example.org:636, dc2.example.org:636", condition.Message, StringComparison.Ordinal);
        Assert.Contains("no connection (ConnectionRefused)", condition.Message, StringComparison.Ordinal);
        Assert.Contains("x.509 identities", condition.Message, StringComparison.Ordinal);

        Assert.False(DirectoryCondition.Apply(conditions, true, null, 1, Now.AddMinutes(1)));
        Assert.False(DirectoryCondition.Apply(conditions, true, down, 1, Now.AddMinutes(2)));
        Assert.Equal("False", Assert.Single(conditions).Status);

        Assert.True(DirectoryCondition.Apply(conditions, true, down with { AnsweredBy = "dc2.example.org:636", Failure = null }, 1, Now.AddMinutes(3)));
        Assert.Equal(("True", ConditionReasons.LdapReachable), (conditions[0].Status, conditions[0].Reason));
        Assert.Contains("dc2.example.org:636", conditions[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_spec_ldap_the_condition_is_removed()
    {
        var conditions = new List<V1Condition>();
        DirectoryCondition.Apply(conditions, true, new DirectoryObservation(["dc1:636"], "dc1:636", null), 1, Now);

        Assert.True(DirectoryCondition.Apply(conditions, false, null, 2, Now));
        Assert.Empty(conditions);
    }
}
