using HipaaMongo.ControllerRuntime.Meta;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Tests;

public class ConditionsTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime T1 = T0.AddMinutes(5);

    [Fact]
    public void A_copy_can_be_edited_without_touching_the_cached_original()
    {
        var cached = new List<V1Condition> { new() { Type = "Ready", Status = "False", Reason = "Progressing", Message = "m", ObservedGeneration = 1, LastTransitionTime = T0 } };
        var copy = Conditions.Copy(cached);

        Assert.Equal(("Ready", "False", "Progressing", "m", 1L, T0),
            (copy[0].Type, copy[0].Status, copy[0].Reason, copy[0].Message, copy[0].ObservedGeneration, copy[0].LastTransitionTime));
        Assert.True(Conditions.Set(copy, "Ready", "True", "Done", "ok", 2, T1));
        Assert.Equal(("False", "Progressing", T0), (cached[0].Status, cached[0].Reason, cached[0].LastTransitionTime));
        Assert.Empty(Conditions.Copy(null));
    }

    [Fact]
    public void A_new_condition_is_added_with_now_as_transition_time()
    {
        var list = new List<V1Condition>();
        Assert.True(Conditions.Set(list, "Ready", "False", "Progressing", "creating", 3, T0));

        var c = Assert.Single(list);
        Assert.Equal(("Ready", "False", "Progressing", "creating", 3L, T0),
            (c.Type, c.Status, c.Reason, c.Message, c.ObservedGeneration, c.LastTransitionTime));
    }

    [Fact]
    public void Setting_the_same_values_again_changes_nothing()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", "True", "Reconciled", "ok", 1, T0);
        Assert.False(Conditions.Set(list, "Ready", "True", "Reconciled", "ok", 1, T1));
        Assert.Equal(T0, list[0].LastTransitionTime);
    }

    [Fact]
    public void A_new_reason_message_or_generation_changes_the_condition_but_not_its_transition_time()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", "True", "Reconciled", "ok", 1, T0);

        Assert.True(Conditions.Set(list, "Ready", "True", "DriftCorrected", "reverted a sidecar", 2, T1));
        Assert.Equal(("DriftCorrected", "reverted a sidecar", 2L), (list[0].Reason, list[0].Message, list[0].ObservedGeneration));
        Assert.Equal(T0, list[0].LastTransitionTime);
    }

    [Fact]
    public void A_status_flip_moves_the_transition_time()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", "True", "Reconciled", "ok", 1, T0);
        Assert.True(Conditions.Set(list, "Ready", "False", "Degraded", "member down", 1, T1));
        Assert.Equal(T1, list[0].LastTransitionTime);
        Assert.Single(list);
    }

    [Fact]
    public void Conditions_are_a_map_keyed_by_type_and_can_be_removed()
    {
        var list = new List<V1Condition>();
        Conditions.Set(list, "Ready", "True", "Reconciled", "", 1, T0);
        Conditions.Set(list, "Stalled", "True", "SpecInvalid", "members < 3", 1, T0);
        Assert.Equal(2, list.Count);
        Assert.True(Conditions.IsTrue(list, "Stalled"));

        Assert.True(Conditions.Remove(list, "Stalled"));
        Assert.False(Conditions.Remove(list, "Stalled"));
        Assert.Equal("Ready", Assert.Single(list).Type);
    }

    [Fact]
    public void An_invalid_status_is_refused()
    {
        Assert.Throws<ArgumentException>(() => Conditions.Set(new List<V1Condition>(), "Ready", "true", "R", "", 1, T0));
    }
}

public class FinalizersTests
{
    [Fact]
    public void Add_and_Remove_report_whether_the_list_changed()
    {
        var meta = new V1ObjectMeta();
        Assert.False(Finalizers.Has(meta, "x.io/cleanup"));
        Assert.True(Finalizers.Add(meta, "x.io/cleanup"));
        Assert.False(Finalizers.Add(meta, "x.io/cleanup"));
        Assert.Equal(["x.io/cleanup"], meta.Finalizers);

        meta.Finalizers.Add("other.io/keep");
        Assert.True(Finalizers.Remove(meta, "x.io/cleanup"));
        Assert.False(Finalizers.Remove(meta, "x.io/cleanup"));
        Assert.Equal(["other.io/keep"], meta.Finalizers);
    }

    [Fact]
    public void Deletion_is_signalled_by_the_deletion_timestamp()
    {
        Assert.False(Finalizers.IsBeingDeleted(new V1ObjectMeta()));
        Assert.True(Finalizers.IsBeingDeleted(new V1ObjectMeta { DeletionTimestamp = DateTime.UtcNow }));
    }
}
