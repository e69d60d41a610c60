using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Drift;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>The previous render is read back from the children as found: no memory in the operator.</summary>
public sealed class LastAppliedTests
{
    private const string Members = DriftFixture.Name + "-members";

    private static readonly JsonObject[] Rendered = [.. DriftFixture.Render().Objects.Select(ObjectJson.From)];

    private static readonly string[] Children = [.. Rendered.Select(LastApplied.Key)];

    [Fact]
    public void A_stamped_child_gives_back_its_render_and_only_the_statefulset_lists_the_children()
    {
        var policy = DriftFixture.Desired("NetworkPolicy", Members);
        var stamped = LastApplied.Stamp(policy, Children);

        var previous = LastApplied.Previous([(policy, stamped)]);

        Assert.True(JsonNode.DeepEquals(policy, previous[LastApplied.Key(policy)]));
        Assert.Null(stamped["metadata"]!["annotations"]![LastApplied.ChildrenAnnotation]);
        var sts = LastApplied.Stamp(DriftFixture.Desired("StatefulSet", DriftFixture.Name), Children);
        Assert.Equal(string.Join('\n', Children), sts["metadata"]!["annotations"]![LastApplied.ChildrenAnnotation]!.GetValue<string>());
    }

    [Fact]
    public void A_deleted_child_the_statefulset_lists_is_a_revert_and_an_unlisted_one_is_new()
    {
        var live = Rendered.Select(d => LastApplied.Stamp(d, d == Rendered[^1] ? [] : Children)).ToList();
        var members = Array.FindIndex(Rendered, d => LastApplied.Key(d).EndsWith("/" + Members, StringComparison.Ordinal));
        var sts = Array.FindIndex(Rendered, d => d["kind"]!.GetValue<string>() == "StatefulSet");
        live[members] = null!;

        var listed = LastApplied.Previous([.. Rendered.Select((d, i) => (d, (JsonObject?)live[i]))]);
        live[sts] = null!; // the StatefulSet, which holds the list, is gone too: the deleted policy's history with it
        var unlisted = LastApplied.Previous([.. Rendered.Select((d, i) => (d, (JsonObject?)live[i]))]);

        var policy = DriftFixture.Render().Get("NetworkPolicy", Members);
        var applied = new AppliedObject(policy, ApplyDecision.From(DriftDetector.Detect(ObjectJson.From(policy), null)), null);
        Assert.Equal(DriftClass.NetworkPolicyMissing, Assert.Single(OutOfBandChanges.Reverted([applied], settled: false, listed)).Class);
        Assert.Empty(OutOfBandChanges.Reverted([applied], settled: false, unlisted));
    }

    [Fact]
    public void A_child_made_before_the_stamp_existed_reads_as_new()
    {
        var policy = DriftFixture.Desired("NetworkPolicy", Members);

        Assert.Empty(LastApplied.Previous([(policy, DriftFixture.Live("NetworkPolicy", Members))]));
        Assert.Empty(DriftDetector.Detect(policy, DriftFixture.Live("NetworkPolicy", Members))); // not drift ...
        Assert.False(LastApplied.Carries(DriftFixture.Live("NetworkPolicy", Members), LastApplied.Stamp(policy, Children))); // ... but stamped once
        Assert.True(LastApplied.Carries(LastApplied.Stamp(policy, Children), LastApplied.Stamp(policy, Children)));
    }
}
