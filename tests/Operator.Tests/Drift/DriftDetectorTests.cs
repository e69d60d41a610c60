using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s;
using k8s.Models;
using static HipaaMongo.Operator.Tests.Drift.DriftFixture;

namespace HipaaMongo.Operator.Tests.Drift;

public class DriftDetectorTests
{
    public static TheoryData<string> CaseNames => [.. DriftCases.All.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Each_guarded_mutation_yields_exactly_its_finding(string name)
    {
        var c = DriftCases.All[name];
        var live = Live(c.Kind, c.Object);
        c.Mutate(live);

        var finding = Assert.Single(DriftDetector.Detect(Desired(c.Kind, c.Object), live));

        Assert.Equal((c.Class, c.Path), (finding.Class, finding.Path));
        Assert.Equal((c.Kind, "clinical", c.Object), (finding.Kind, finding.Namespace, finding.Name));
        Assert.Equal(c.Action, ApplyDecision.From([finding]).Action);
    }

    [Fact]
    public void Several_edits_are_each_reported_and_an_addition_forces_a_replace()
    {
        var live = Live("StatefulSet", Name);
        foreach (var name in new[] { "image changed", "hostNetwork", "TLS volume removed" })
        {
            DriftCases.All[name].Mutate(live);
        }

        var decision = ApplyDecision.From(DriftDetector.Detect(Render().Get("StatefulSet", Name), KubernetesJson.Deserialize<V1StatefulSet>(live.ToJsonString())));
        Assert.Equal(
            [DriftClass.HostNamespace, DriftClass.TlsVolumeRemoved, DriftClass.FieldChanged], // enum order
            decision.Findings.Select(f => f.Class).Order());
        Assert.Equal(ApplyAction.Replace, decision.Action);
        Assert.All(decision.Findings, f => Assert.StartsWith("StatefulSet clinical/phi-db: spec.template.spec.", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_rendered_object_compared_with_itself_needs_no_write()
    {
        foreach (var desired in Render().Objects)
        {
            var decision = ApplyDecision.From(DriftDetector.Detect(desired, desired));
            Assert.False(decision.WriteNeeded, $"{desired.Kind} {desired.Metadata.Name}: {string.Join("; ", decision.Findings)}");
        }
    }

    [Fact]
    public void A_typed_round_trip_through_the_wire_format_is_not_drift()
    {
        // The informer cache holds objects deserialised from the API server's JSON.
        var desired = (V1StatefulSet)Render().Get("StatefulSet", Name);
        var live = KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(desired));
        Assert.Empty(DriftDetector.Detect(desired, live));
    }

    [Fact]
    public void A_deleted_network_policy_is_reported_missing_and_must_be_created()
    {
        var desired = Render().Get("NetworkPolicy", Name + "-default-deny");
        var decision = ApplyDecision.From(DriftDetector.Detect(desired, null));
        var finding = Assert.Single(decision.Findings);
        Assert.Equal(DriftClass.NetworkPolicyMissing, finding.Class);
        Assert.Equal(ApplyAction.Create, decision.Action);
        // The whole object is missing, so the Event names no field: one readable sentence, no double space.
        Assert.Equal("NetworkPolicy clinical/phi-db-default-deny: expected present, found <absent>", finding.Message);
    }

    [Fact]
    public void A_deleted_statefulset_is_an_owned_object_missing()
    {
        var finding = Assert.Single(DriftDetector.Detect(Render().Get("StatefulSet", Name), null));
        Assert.Equal((DriftClass.ObjectMissing, DriftChange.ObjectMissing), (finding.Class, finding.Change));
    }

    [Fact]
    public void A_changed_mongod_conf_is_shown_as_its_first_differing_line_not_the_whole_file()
    {
        var c = DriftCases.All["mongod.conf edited"];
        var live = Live(c.Kind, c.Object);
        c.Mutate(live);
        var finding = Assert.Single(DriftDetector.Detect(Desired(c.Kind, c.Object), live));
        Assert.Contains("requireTLS", finding.Expected, StringComparison.Ordinal);
        Assert.Contains("preferTLS", finding.Found, StringComparison.Ordinal);
        Assert.StartsWith("line ", finding.Found, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', finding.Message);
        Assert.True(finding.Message.Length < 1024);
    }

    [Fact]
    public void Secret_data_is_never_shown()
    {
        var desired = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = "clinical" },
            StringData = new Dictionary<string, string> { ["password"] = "hunter2-expected" },
        };
        var live = ObjectJson.From(desired);
        live["stringData"]!["password"] = "hunter2-found";
        var finding = Assert.Single(DriftDetector.Detect(ObjectJson.From(desired), live));
        Assert.DoesNotContain("hunter2", finding.Message, StringComparison.Ordinal);
        Assert.Equal(("<redacted>", "<redacted>"), (finding.Expected, finding.Found));
    }

    [Fact]
    public void A_reordered_keyed_list_is_not_drift_but_a_reordered_atomic_list_is()
    {
        var live = Live("StatefulSet", Name);
        var volumes = Volumes(live);
        var reversed = volumes.Select(v => v!.DeepClone()).Reverse().ToArray();
        volumes.Clear();
        foreach (var v in reversed)
        {
            volumes.Add(v);
        }

        Assert.Empty(DriftDetector.Detect(Desired("StatefulSet", Name), live));

        var args = Container(live, "mongod")["args"]!.AsArray();
        var first = args[0]!.DeepClone();
        args.RemoveAt(0);
        args.Add(first);
        Assert.Equal(Mongod("args"), Assert.Single(DriftDetector.Detect(Desired("StatefulSet", Name), live)).Path);
    }

    private static string Mongod(string field) => Pod + ".containers[name=mongod]." + field;
}
