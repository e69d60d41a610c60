using System.Text.Json.Nodes;
using HipaaMongo.Entities.Status;

namespace HipaaMongo.Entities.Tests.GitOps;

/// <summary>The kstatus rules one at a time (fluxcd/cli-utils pkg/kstatus/status generic.go and status.go).</summary>
public class KStatusRuleTests
{
    private static JsonObject Resource(long? generation, long? observed, params (string Type, string Status)[] conditions)
    {
        var metadata = new JsonObject { ["name"] = "phi-db" };
        if (generation is { } g) metadata["generation"] = g;
        var status = new JsonObject
        {
            ["conditions"] = new JsonArray([.. conditions.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = c.Type, ["status"] = c.Status, ["reason"] = "R", ["message"] = c.Type + "=" + c.Status,
            })]),
        };
        if (observed is { } o) status["observedGeneration"] = o;
        return new JsonObject { ["kind"] = "HipaaMongo", ["metadata"] = metadata, ["status"] = status };
    }

    [Fact]
    public void An_absent_object_is_NotFound() =>
        Assert.Equal(ReconcileStatus.NotFound, KStatus.Compute(null).Status);

    [Fact]
    public void Deletion_wins_over_everything()
    {
        var r = Resource(2, 1, ("Stalled", "True"));
        r["metadata"]!["deletionTimestamp"] = "2026-11-25T06:00:00Z";
        Assert.Equal(ReconcileStatus.Terminating, KStatus.Compute(r).Status);
    }

    [Fact]
    public void A_stale_observedGeneration_wins_over_Stalled() =>
        Assert.Equal(ReconcileStatus.InProgress, KStatus.Compute(Resource(2, 1, ("Stalled", "True"))).Status);

    [Fact]
    public void Without_observedGeneration_the_generation_check_is_skipped() =>
        Assert.Equal(ReconcileStatus.Current, KStatus.Compute(Resource(5, null, ("Ready", "True"))).Status);

    [Theory]
    [InlineData("Reconciling", "Stalled", ReconcileStatus.InProgress)]
    [InlineData("Stalled", "Reconciling", ReconcileStatus.Failed)]
    public void The_first_true_abnormal_condition_in_list_order_wins(string first, string second, ReconcileStatus expected) =>
        Assert.Equal(expected, KStatus.Compute(Resource(1, 1, (first, "True"), (second, "True"))).Status);

    [Theory]
    [InlineData("True", ReconcileStatus.Current)]
    [InlineData("False", ReconcileStatus.InProgress)]
    [InlineData("Unknown", ReconcileStatus.InProgress)]
    public void Ready_decides_when_nothing_else_does(string ready, ReconcileStatus expected) =>
        Assert.Equal(expected, KStatus.Compute(Resource(1, 1, ("Reconciling", "False"), ("Stalled", "False"), ("Ready", ready))).Status);

    [Fact]
    public void Other_condition_types_never_matter() =>
        Assert.Equal(ReconcileStatus.Current, KStatus.Compute(Resource(1, 1, ("NetworkIsolated", "False"))).Status);

    [Fact]
    public void A_malformed_status_is_Unknown_not_a_crash()
    {
        var r = Resource(1, 1);
        r["status"]!["conditions"] = "not a list";
        var result = KStatus.Compute(r);
        Assert.Equal(ReconcileStatus.Unknown, result.Status);
        Assert.Contains("conditions", result.Message);
    }

    [Fact]
    public void A_non_integer_generation_is_Unknown()
    {
        var r = Resource(1, 1);
        r["metadata"]!["generation"] = "one";
        Assert.Equal(ReconcileStatus.Unknown, KStatus.Compute(r).Status);
    }
}
