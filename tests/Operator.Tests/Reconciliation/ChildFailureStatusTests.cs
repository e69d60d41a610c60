using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Status;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

public sealed class ChildFailureStatusTests
{
    private static readonly DateTime Now = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData(400, true)]
    [InlineData(403, true)]
    [InlineData(405, true)]
    [InlineData(422, true)]
    [InlineData(0, false)]
    [InlineData(401, false)]
    [InlineData(404, false)]
    [InlineData(408, false)]
    [InlineData(409, false)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void Only_errors_the_same_request_meets_again_stall(int code, bool stalled) =>
        Assert.Equal(stalled, ChildFailures.IsStalled(code));

    [Fact]
    public void A_refused_child_stalls_and_is_announced_once()
    {
        var refused = new ChildFailure("StatefulSet", "phi-db", 422, "spec: Forbidden: updates to statefulset spec ...");
        var conditions = new List<V1Condition>();
        Assert.True(ChildFailureStatus.Apply(conditions, [refused], 2, Now));
        Assert.Equal(ConditionReasons.ChildRejected, Conditions.Find(conditions, ConditionTypes.Stalled)!.Reason);
        Assert.Equal(Conditions.False, Conditions.Find(conditions, ConditionTypes.Ready)!.Status);
        Assert.Null(Conditions.Find(conditions, ConditionTypes.Reconciling));
        Assert.Single(ChildFailureStatus.Unannounced([], [refused]));

        // The next pass meets the same refusal: nothing moves and nothing is announced again.
        Assert.False(ChildFailureStatus.Apply(conditions, [refused], 2, Now.AddMinutes(1)));
        Assert.Empty(ChildFailureStatus.Unannounced(conditions, [refused]));
    }

    [Fact]
    public void A_transient_error_is_reconciling_not_stalled()
    {
        var busy = new ChildFailure("PodDisruptionBudget", "phi-db", 429, "too many requests");
        var conditions = new List<V1Condition>();
        ChildFailureStatus.Apply(conditions, [busy], 1, Now);
        Assert.Null(Conditions.Find(conditions, ConditionTypes.Stalled));
        Assert.Equal(ConditionReasons.ChildApplyRetrying, Conditions.Find(conditions, ConditionTypes.Reconciling)!.Reason);
        Assert.Contains("PodDisruptionBudget phi-db: 429 too many requests", Conditions.Find(conditions, ConditionTypes.Ready)!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_keeps_only_its_status_code()
    {
        var error = new k8s.Autorest.HttpOperationException("boom")
        {
            Response = new k8s.Autorest.HttpResponseMessageWrapper(new System.Net.Http.HttpResponseMessage(System.Net.HttpStatusCode.UnprocessableEntity),
                "{\"message\":\"data[password]: Invalid value: \\\"s3cret\\\"\"}"),
        };
        var failure = ChildFailures.From("Secret", "phi-db-keyfile", error);
        Assert.DoesNotContain("s3cret", failure.Describe(), StringComparison.Ordinal);
        Assert.Equal(422, failure.StatusCode);
        Assert.Contains("Invalid value", ChildFailures.From("ConfigMap", "x", error).Describe(), StringComparison.Ordinal);
    }
}
