using System.Text.Json;
using HipaaMongo.ClusterSimulations.StatefulSets;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.StatefulSets;

/// <summary>
/// ControllerRevisions as kubernetes pkg/controller/history and pkg/controller/statefulset make them
/// (NewControllerRevision, HashControllerRevision, getPatch, getStatefulSetRevisions, truncateHistory).
/// </summary>
public sealed class StatefulSetRevisionsTests
{
    // HashControllerRevision = rand.SafeEncodeString(fmt.Sprint(fnv.New32() sum)). FNV-1 32-bit of "a" is
    // 0x050c5d7e = 84696446 (the FNV reference test vectors); SafeEncodeString maps each byte b to
    // "bcdfghjklmnpqrstvwxz2456789"[b % 27], so the digits '8','4','6','9','6','4','4','6' become "d8bfb88b".
    [Fact]
    public void The_hash_is_FNV1_32_of_the_data_in_SafeEncodeString_letters()
    {
        Assert.Equal("d8bfb88b", StatefulSetRevisions.Hash("a", null));
        // The collision count is written after the data (strconv.FormatInt), so it changes the hash.
        Assert.NotEqual(StatefulSetRevisions.Hash("a", null), StatefulSetRevisions.Hash("a", 0));
        Assert.Equal(StatefulSetRevisions.Hash("a0", null), StatefulSetRevisions.Hash("a", 0));
    }

    [Fact]
    public void The_data_is_getPatch_the_template_under_spec_with_patch_replace()
    {
        var set = MiniCluster.NewSet(3);
        using var data = JsonDocument.Parse(StatefulSetRevisions.Patch(set));

        var root = data.RootElement;
        Assert.Equal(["spec"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["template"], root.GetProperty("spec").EnumerateObject().Select(p => p.Name));
        var template = root.GetProperty("spec").GetProperty("template");
        Assert.Equal("replace", template.GetProperty("$patch").GetString());
        Assert.Equal(JsonValueKind.Null, template.GetProperty("metadata").GetProperty("creationTimestamp").ValueKind);
        Assert.Equal("mongo:8.0.4", template.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString());
        // Go's json.Marshal of a map writes keys in byte order.
        var keys = template.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
    }

    // Go encoding/json (the real getPatch uses json.Marshal): "String values encode as JSON strings ... "<", ">",
    // "&", U+2028, and U+2029 are escaped to "\u003c","\u003e", "\u0026", "\u2028", and "\u2029""; nothing else.
    [Fact]
    public void The_data_escapes_strings_as_Go_json_Marshal_does()
    {
        var set = MiniCluster.NewSet(1);
        set.Spec.Template.Spec.Containers[0].Args = ["--eval", "db.adminCommand('ping') && x < y + 1 > é"];

        var patch = StatefulSetRevisions.Patch(set);

        Assert.Contains("\"db.adminCommand('ping') \\u0026\\u0026 x \\u003c y + 1 \\u003e é\"", patch, StringComparison.Ordinal);
    }

    [Fact]
    public void A_first_revision_is_created_with_the_names_labels_owner_and_number_of_NewControllerRevision()
    {
        var set = MiniCluster.NewSet(3);

        var plan = StatefulSetRevisions.Resolve(set, []);

        var created = Assert.IsType<V1ControllerRevision>(plan.Create);
        var hash = created.Metadata.Labels[StatefulSetRevisions.HashLabel];
        Assert.Equal($"rs0-{hash}", created.Metadata.Name);
        Assert.Equal(StatefulSetRevisions.Hash(StatefulSetRevisions.Patch(set), 0), hash);
        Assert.Equal("rs0", created.Metadata.Labels["app"]); // the template's labels
        Assert.Equal(1, created.Revision);
        var owner = created.Metadata.OwnerReferences.Single();
        Assert.Equal(("StatefulSet", "set-uid", true), (owner.Kind, owner.Uid, owner.Controller));
        Assert.Same(plan.Create, plan.Update);
        Assert.Same(plan.Update, plan.Current); // no currentRevision yet: history starts at the update revision
        Assert.Equal(created.Metadata.Name, StatefulSetNames.Revision(set));
    }

    [Fact]
    public void An_unchanged_template_reuses_the_newest_revision()
    {
        var set = MiniCluster.NewSet(3);
        var first = StatefulSetRevisions.New(set, 1);

        var plan = StatefulSetRevisions.Resolve(set, [first]);

        Assert.Null(plan.Create);
        Assert.Null(plan.Renumber);
        Assert.Same(first, plan.Update);
    }

    [Fact]
    public void A_new_template_gets_the_next_revision_and_a_rollback_renumbers_the_old_one()
    {
        var set = MiniCluster.NewSet(3);
        var first = StatefulSetRevisions.New(set, 1);
        set.Status = new V1StatefulSetStatus { CurrentRevision = first.Metadata.Name };
        set.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";

        var update = StatefulSetRevisions.Resolve(set, [first]);

        Assert.Equal(2, update.Create!.Revision);
        Assert.NotEqual(first.Metadata.Name, update.Update.Metadata.Name);
        Assert.Same(first, update.Current);

        set.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.4"; // back to the first template
        var rollback = StatefulSetRevisions.Resolve(set, [first, update.Create]);

        Assert.Null(rollback.Create);
        Assert.Equal((first.Metadata.Name, 3L), (rollback.Renumber!.Metadata.Name, rollback.Renumber.Revision ?? 0));
        Assert.Equal("mongo:8.0.4", StatefulSetRevisions.Template(rollback.Update).Spec.Containers[0].Image);
    }

    [Fact]
    public void History_keeps_revisionHistoryLimit_revisions_besides_the_live_ones_deleting_the_oldest()
    {
        var set = MiniCluster.NewSet(1);
        set.Spec.RevisionHistoryLimit = 2;
        var revisions = Enumerable.Range(1, 6).Select(n =>
        {
            set.Spec.Template.Spec.Containers[0].Image = $"mongo:8.0.{n}";
            return StatefulSetRevisions.New(set, n);
        }).ToList();
        var names = revisions.Select(r => r.Metadata.Name).ToList();
        var pod = new V1Pod { Metadata = new() { Labels = new Dictionary<string, string> { [StatefulSetNames.RevisionLabel] = names[0] } } };

        var deleted = StatefulSetRevisions.Truncate(set, revisions, [pod], current: names[4], update: names[5]);

        // live: 1 (a pod runs it), 5 (current), 6 (update); history 2, 3, 4 keeps the newest two.
        Assert.Equal([names[1]], deleted);
        set.Spec.RevisionHistoryLimit = null; // default 10: nothing to delete
        Assert.Empty(StatefulSetRevisions.Truncate(set, revisions, [pod], names[4], names[5]));
    }

    [Fact]
    public void A_pod_recreated_below_the_partition_comes_back_at_the_current_revision()
    {
        var set = MiniCluster.NewSet(3);
        var first = StatefulSetRevisions.New(set, 1);
        using var c = new MiniCluster(set);
        c.Settle();
        c.Set.Spec.UpdateStrategy = new V1StatefulSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 2 },
        };
        c.Set.Status.CurrentRevision = first.Metadata.Name;
        c.Set.Spec.Template.Spec.Containers[0].Image = "mongo:8.0.5";
        var revisions = StatefulSetRevisions.Resolve(c.Set, [first]);
        c.Pods.Remove("rs0-0"); // e.g. deleted by hand

        var plan = StatefulSetPlanner.Plan(c.Set, [.. c.Pods.Values], [.. c.Claims.Values], revisions, new DateTimeOffset(c.Now));

        var recreated = Assert.Single(plan.Actions.OfType<CreatePod>()).Pod;
        Assert.Equal("rs0-0", recreated.Metadata.Name);
        Assert.Equal("mongo:8.0.4", recreated.Spec.Containers[0].Image);
        Assert.Equal(first.Metadata.Name, recreated.Metadata.Labels[StatefulSetNames.RevisionLabel]);
    }
}
