using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Drift;
using static HipaaMongo.Operator.Tests.Drift.DriftFixture;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>
/// What the API server stores beside our render. Defaults are not drift because the desired object is the render
/// as the server stores it (a dry-run), so both sides carry them; server bookkeeping, status and other tools' keys
/// on the object's own labels and annotations are the documented exceptions. The defaulted values are those of
/// k8s.io/kubernetes pkg/apis/core/v1/defaults.go and pkg/apis/apps/v1/defaults.go (SetDefaults_*).
/// </summary>
public class ServerDefaultsTests
{
    [Fact]
    public void A_statefulset_defaulted_on_both_sides_with_bookkeeping_and_foreign_metadata_has_no_findings()
    {
        var desired = Defaulted(Desired("StatefulSet", Name));
        var live = Defaulted(Live("StatefulSet", Name));
        AddBookkeeping(live);

        Assert.Empty(DriftDetector.Detect(desired, live));
    }

    [Fact]
    public void A_default_the_desired_object_lacks_is_a_finding_which_is_why_the_desired_object_is_a_dry_run()
    {
        var live = Defaulted(Live("StatefulSet", Name));

        var paths = DriftDetector.Detect(Desired("StatefulSet", Name), live).Select(f => f.Path).ToList();

        Assert.Contains(Pod + ".dnsPolicy", paths);
        Assert.Contains(Pod + ".containers[name=mongod].terminationMessagePath", paths);
    }

    [Fact]
    public void A_changed_default_is_drift()
    {
        var desired = Defaulted(Desired("StatefulSet", Name));
        var live = Defaulted(Live("StatefulSet", Name));
        PodSpec(live)["dnsPolicy"] = "None";

        var finding = Assert.Single(DriftDetector.Detect(desired, live));
        Assert.Equal((Pod + ".dnsPolicy", DriftChange.Changed), (finding.Path, finding.Change));
    }

    [Fact]
    public void A_pod_template_annotation_is_compared_unlike_the_objects_own()
    {
        var desired = Desired("StatefulSet", Name);
        var live = Live("StatefulSet", Name);
        live["metadata"]!["annotations"] = new JsonObject { ["argocd.argoproj.io/tracking-id"] = "x" };
        live["spec"]!["template"]!["metadata"]!["annotations"]!["container.apparmor.security.beta.kubernetes.io/mongod"] = "unconfined";

        var finding = Assert.Single(DriftDetector.Detect(desired, live));
        Assert.Equal("spec.template.metadata.annotations[container.apparmor.security.beta.kubernetes.io/mongod]", finding.Path);
        Assert.Equal(DriftChange.Added, finding.Change);
    }

    [Fact]
    public void Our_label_removed_is_drift_a_foreign_one_is_not()
    {
        var desired = Desired("Service", Name + "-hs");
        var live = Live("Service", Name + "-hs");
        AddBookkeeping(live);
        Assert.Empty(DriftDetector.Detect(desired, live));

        live["metadata"]!["labels"]!.AsObject().Remove("app.kubernetes.io/name");
        var finding = Assert.Single(DriftDetector.Detect(desired, live));
        Assert.Equal(("metadata.labels[app.kubernetes.io/name]", DriftChange.Removed), (finding.Path, finding.Change));
    }

    [Fact]
    public void A_service_with_the_same_allocated_addresses_on_both_sides_has_no_findings()
    {
        var desired = Allocated(Desired("Service", Name + "-hs"));
        var live = Allocated(Live("Service", Name + "-hs"));
        AddBookkeeping(live);

        Assert.Empty(DriftDetector.Detect(desired, live));
    }

    [Fact]
    public void A_mutation_seen_in_the_dry_run_is_not_fought()
    {
        // A platform sidecar injector (mutating admission) runs on the dry-run too, so it is part of the desired object.
        var desired = Desired("StatefulSet", Name);
        PodSpec(desired)["containers"]!.AsArray().Add(new JsonObject { ["name"] = "mesh-proxy", ["image"] = "proxy:1" });
        var live = desired.DeepClone().AsObject();

        Assert.Empty(DriftDetector.Detect(desired, live));
    }

    [Fact]
    public void A_canonicalised_quantity_is_not_drift()
    {
        var desired = Desired("StatefulSet", Name);
        var live = Live("StatefulSet", Name);
        var tmp = Volumes(live).Single(v => v!["name"]!.GetValue<string>() == "tmp")!;
        Assert.Equal("64Mi", tmp["emptyDir"]!["sizeLimit"]!.GetValue<string>());
        tmp["emptyDir"]!["sizeLimit"] = "65536Ki";
        Assert.Empty(DriftDetector.Detect(desired, live));

        tmp["emptyDir"]!["sizeLimit"] = "1Gi";
        Assert.Equal(DriftClass.FieldChanged, Assert.Single(DriftDetector.Detect(desired, live)).Class);
    }

    /// <summary>What SetDefaults_StatefulSet, SetDefaults_PodSpec and SetDefaults_Container add to our StatefulSet.</summary>
    internal static JsonObject Defaulted(JsonObject statefulSet)
    {
        var spec = statefulSet["spec"]!.AsObject();
        spec["podManagementPolicy"] ??= "OrderedReady";
        spec["revisionHistoryLimit"] ??= 10;
        spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } };
        var pod = PodSpec(statefulSet);
        pod["restartPolicy"] ??= "Always";
        pod["dnsPolicy"] ??= "ClusterFirst";
        pod["schedulerName"] ??= "default-scheduler";
        pod["terminationGracePeriodSeconds"] ??= 30;
        foreach (var container in pod["containers"]!.AsArray().Concat(pod["initContainers"]!.AsArray()).OfType<JsonObject>())
        {
            container["terminationMessagePath"] ??= "/dev/termination-log";
            container["terminationMessagePolicy"] ??= "File";
            container["imagePullPolicy"] ??= "IfNotPresent";
        }
        return statefulSet;
    }

    /// <summary>A Service as stored: the address the server allocated and SetDefaults_Service's fields.</summary>
    private static JsonObject Allocated(JsonObject service)
    {
        var spec = service["spec"]!.AsObject();
        spec["clusterIPs"] ??= new JsonArray(spec["clusterIP"]?.GetValue<string>() ?? "10.96.0.12");
        spec["clusterIP"] ??= "10.96.0.12";
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
        spec["sessionAffinity"] ??= "None";
        spec["type"] ??= "ClusterIP";
        foreach (var port in spec["ports"]!.AsArray().OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
        }
        return service;
    }

    /// <summary>Server metadata, status, and labels and annotations written by other tools.</summary>
    internal static void AddBookkeeping(JsonObject live)
    {
        var metadata = live["metadata"]!.AsObject();
        metadata["uid"] = "7d1c2e44-0000-4000-8000-00000000beef";
        metadata["resourceVersion"] = "12345";
        metadata["generation"] = 3;
        metadata["creationTimestamp"] = "2026-01-01T00:00:00Z";
        metadata["managedFields"] = new JsonArray(new JsonObject { ["manager"] = "kubectl", ["operation"] = "Update" });
        metadata["labels"]!["argocd.argoproj.io/instance"] = "clinical";
        metadata["annotations"] ??= new JsonObject();
        metadata["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"] = "{}";
        live["status"] ??= new JsonObject { ["observedGeneration"] = 3 };
    }
}
