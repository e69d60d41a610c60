using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>Which writes are reverts of someone else's change, in settled passes and in the first pass of a new spec.</summary>
public sealed class OutOfBandChangesTests
{
    private const string Sts = DriftFixture.Name;
    private const string Members = DriftFixture.Name + "-members";

    [Fact]
    public void Settled_pass_reports_every_finding_of_a_written_object()
    {
        var live = DriftFixture.Live("NetworkPolicy", Members);
        live["metadata"]!["labels"]!["app.kubernetes.io/name"] = "edited";

        var reverted = OutOfBandChanges.Reverted([Applied(Desired("NetworkPolicy", Members), live)], settled: true, previous: null);

        var finding = Assert.Single(reverted);
        Assert.Equal(Members, finding.Name);
        Assert.Contains("labels", finding.Path, StringComparison.Ordinal);
    }

    [Fact]
    public void First_pass_of_a_new_spec_without_the_previous_render_claims_no_revert()
    {
        var live = DriftFixture.Live("NetworkPolicy", Members);
        live["metadata"]!["labels"]!["app.kubernetes.io/name"] = "edited";

        Assert.Empty(OutOfBandChanges.Reverted([Applied(Desired("NetworkPolicy", Members), live)], settled: false, previous: null));
    }

    [Fact]
    public void A_spec_change_alone_is_not_a_revert()
    {
        var before = DriftFixture.Desired("StatefulSet", Sts);
        var after = Changed(before, s => s["spec"]!["replicas"] = 5);
        var live = before.DeepClone().AsObject();

        var applied = Applied(After<V1StatefulSet>(after), live);

        Assert.True(applied.Decision.WriteNeeded); // the pass writes the new replica count ...
        Assert.Empty(OutOfBandChanges.Reverted([applied], settled: false, Previous(before))); // ... and reverts nothing
    }

    [Fact]
    public void An_edit_made_out_of_band_beside_a_spec_change_is_a_revert_in_the_same_pass()
    {
        var before = DriftFixture.Desired("StatefulSet", Sts);
        var after = Changed(before, s => s["spec"]!["replicas"] = 5);
        var live = Changed(before, s =>
        {
            s["spec"]!["replicas"] = 4; // someone scaled it too: the spec change decides that field, not a revert
            DriftFixture.PodSpec(s)["hostNetwork"] = true;
        });

        var reverted = OutOfBandChanges.Reverted([Applied(After<V1StatefulSet>(after), live)], settled: false, Previous(before));

        var finding = Assert.Single(reverted);
        Assert.Equal($"{DriftFixture.Pod}.hostNetwork", finding.Path);
        Assert.Equal(DriftClass.HostNamespace, finding.Class);
    }

    [Fact]
    public void An_object_deleted_out_of_band_before_a_spec_change_is_a_revert()
    {
        var desired = Desired("NetworkPolicy", Members);

        var reverted = OutOfBandChanges.Reverted([Applied(desired, null)], settled: false, Previous(ObjectJson.From(desired)));

        var finding = Assert.Single(reverted);
        Assert.Equal(DriftChange.ObjectMissing, finding.Change);
        Assert.Equal(DriftClass.NetworkPolicyMissing, finding.Class);
    }

    [Fact]
    public void An_object_new_in_this_generation_is_created_not_reverted()
    {
        var desired = Desired("NetworkPolicy", Members);

        Assert.Empty(OutOfBandChanges.Reverted([Applied(desired, null)], settled: false, new Dictionary<string, JsonObject>()));
    }

    [Fact]
    public void Objects_not_written_are_never_reported()
    {
        var desired = Desired("NetworkPolicy", Members);
        var applied = Applied(desired, ObjectJson.From(desired));

        Assert.False(applied.Decision.WriteNeeded);
        Assert.Empty(OutOfBandChanges.Reverted([applied], settled: true, null));
        Assert.Empty(OutOfBandChanges.Reverted([applied], settled: false, Previous(ObjectJson.From(desired))));
    }

    [Fact]
    public void Remember_keys_each_object_so_the_next_pass_finds_it()
    {
        var all = DriftFixture.Render().Objects.Select(o => Applied(o, ObjectJson.From(o))).ToList();

        var remembered = OutOfBandChanges.Remember(all);

        Assert.Equal(all.Count, remembered.Count);
        var policy = Desired("NetworkPolicy", Members);
        Assert.Empty(OutOfBandChanges.Reverted([Applied(policy, ObjectJson.From(policy))], settled: false, remembered));
        Assert.Single(OutOfBandChanges.Reverted([Applied(policy, null)], settled: false, remembered));
    }

    private static IKubernetesObject<V1ObjectMeta> Desired(string kind, string name) => DriftFixture.Render().Get(kind, name);

    private static AppliedObject Applied(IKubernetesObject<V1ObjectMeta> desired, JsonObject? live) =>
        new(desired, ApplyDecision.From(DriftDetector.Detect(ObjectJson.From(desired), live)), live);

    // What the previous generation rendered: the object as the earlier pass applied it.
    private static Dictionary<string, JsonObject> Previous(JsonObject before)
    {
        IKubernetesObject<V1ObjectMeta> typed = before["kind"]!.GetValue<string>() == V1StatefulSet.KubeKind
            ? After<V1StatefulSet>(before)
            : After<V1NetworkPolicy>(before);
        return OutOfBandChanges.Remember([Applied(typed, before)]).ToDictionary();
    }

    private static JsonObject Changed(JsonObject o, Action<JsonObject> change)
    {
        var copy = o.DeepClone().AsObject();
        change(copy);
        return copy;
    }

    private static T After<T>(JsonObject json) => KubernetesJson.Deserialize<T>(json.ToJsonString());
}
