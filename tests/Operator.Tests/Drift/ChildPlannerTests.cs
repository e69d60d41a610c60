using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>The pure decision for one child, from what the gather read: create, nothing, stamp only, or revert.</summary>
public sealed class ChildPlannerTests
{
    private static readonly V1ConfigMap Desired = new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "phi-db-config", NamespaceProperty = "clinical" },
        Data = new Dictionary<string, string> { ["mongod.conf"] = "net:\n  tls:\n    mode: requireTLS\n" },
    };

    private static JsonObject Stamped => LastApplied.Stamp(ObjectJson.From(Desired), []);

    [Fact]
    public void An_absent_child_is_created()
    {
        var plan = ChildPlanner.Decide(new ChildReading(Desired, Stamped, null, null));

        Assert.Equal(ApplyAction.Create, plan.Decision.Action);
        Assert.Null(plan.Live);
    }

    [Fact]
    public void A_child_equal_to_its_stored_render_is_not_written()
    {
        var live = Stamped;

        var plan = ChildPlanner.Decide(new ChildReading(Desired, Stamped, live, Stamped));

        Assert.Equal(ApplyAction.None, plan.Decision.Action);
        Assert.Empty(plan.Decision.Findings);
    }

    [Fact]
    public void A_child_that_only_lacks_its_stamp_is_applied_with_no_finding()
    {
        var live = ObjectJson.From(Desired);

        var plan = ChildPlanner.Decide(new ChildReading(Desired, Stamped, live, live));

        Assert.Equal(ApplyAction.Apply, plan.Decision.Action);
        Assert.Empty(plan.Decision.Findings);
    }

    [Fact]
    public void A_child_changed_out_of_band_is_replaced_with_the_field_named()
    {
        var live = Stamped;
        live["data"]!["mongod.conf"] = "net:\n  tls:\n    mode: allowTLS\n";

        var plan = ChildPlanner.Decide(new ChildReading(Desired, Stamped, live, Stamped));

        Assert.Equal(ApplyAction.Replace, plan.Decision.Action);
        Assert.Contains(plan.Decision.Findings, f => f.Path.StartsWith("data", StringComparison.Ordinal));
    }

    [Fact]
    public void A_live_child_read_without_its_stored_render_is_a_programming_error() =>
        Assert.Throws<ArgumentException>(() => ChildPlanner.Decide(new ChildReading(Desired, Stamped, Stamped, null)));
}
