using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.KeyManagement;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Verification;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>
/// Key custody needs two observations: the key id the member reports and the KMIP server's word that the key is
/// Active. The configuration, or the member's word alone, never passes it.
/// </summary>
public sealed class KeyCustodyTests
{
    private static Outcome Custody(string? state) =>
        ComplianceEvaluator.Evaluate(Observations.Passing().WithMember(p => p with { KmipKeyState = state }, index: 1)).Check("kmip-master-key").Outcome;

    [Theory]
    [InlineData("Active", Outcome.Pass)]
    [InlineData("Deactivated", Outcome.Fail)]
    [InlineData("PreActive", Outcome.Fail)]
    [InlineData("Compromised", Outcome.Fail)]
    [InlineData(KeyManagementObservation.Absent, Outcome.Fail)]
    [InlineData(null, Outcome.Unknown)]
    public void Custody_follows_the_state_the_KMIP_server_gives_the_reported_key(string? state, Outcome expected) =>
        Assert.Equal(expected, Custody(state));

    [Fact]
    public void Each_member_gets_the_state_of_its_own_key_and_a_member_without_a_key_gets_none()
    {
        var at = DateTimeOffset.UnixEpoch;
        MemberVerification Member(string pod, string? key) =>
            new(pod, at, true, null, MemberRole.Secondary, null, new MemberParameters { KmipKeyId = key }, [], []);
        var probe = new KeyManagementObservation(at, ["kmip:5696"], "kmip:5696", null,
            new Dictionary<string, string> { ["k1"] = "Active", ["k2"] = "Deactivated" });

        var annotated = MemberVerificationStep.WithKeyStates([Member("a", "k1"), Member("b", "k2"), Member("c", ""), Member("d", "k3")], probe);

        Assert.Equal(["Active", "Deactivated", null, null], annotated.Select(m => m.Parameters!.KmipKeyState));
    }

    [Fact]
    public void The_condition_names_the_servers_on_an_outage_is_kept_without_a_probe_and_clears_when_one_answers()
    {
        var conditions = new List<V1Condition>();
        var now = DateTime.UnixEpoch;
        var down = new KeyManagementObservation(DateTimeOffset.UnixEpoch, ["kmip-a:5696", "kmip-b:5696"], null, "kmip-a:5696: Connection refused",
            new Dictionary<string, string>());

        Assert.True(KeyManagementCondition.Apply(conditions, true, down, 1, now));
        var condition = Assert.Single(conditions);
        Assert.Equal(("False", ConditionReasons.KmipUnreachable), (condition.Status, condition.Reason));
        Assert.Contains("kmip-a:5696, kmip-b:5696", condition.Message, StringComparison.Ordinal);

        Assert.False(KeyManagementCondition.Apply(conditions, true, null, 1, now.AddMinutes(1)));
        Assert.False(KeyManagementCondition.Apply(conditions, true, down, 1, now.AddMinutes(2)));
        Assert.Equal("False", Assert.Single(conditions).Status);

        Assert.True(KeyManagementCondition.Apply(conditions, true, down with { AnsweredBy = "kmip-b:5696", Failure = null }, 1, now.AddMinutes(3)));
        Assert.Equal(("True", ConditionReasons.KmipReachable), (conditions[0].Status, conditions[0].Reason));
        Assert.Contains("kmip-b:5696", conditions[0].Message, StringComparison.Ordinal);
    }
}
