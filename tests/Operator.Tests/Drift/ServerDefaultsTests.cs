using System.Text.Json.Nodes;
using HipaaMongo.Operator.Reconciliation.Drift;
using static HipaaMongo.Operator.Tests.Drift.DriftFixture;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>
/// What a real API server and other tools add to our objects, and none of it is drift. The
/// defaulted values are those of k8s.io/api (SetDefaults_* in pkg/apis/*/v1/defaults.go).
/// </summary>
public class ServerDefaultsTests
{
    [Fact]
    public void A_statefulset_with_server_defaults_and_foreign_metadata_has_no_findings()
    {
        var live = Live("StatefulSet", Name);
        AddBookkeeping(live);
        var spec = live["spec"]!.AsObject();
        spec["podManagementPolicy"] ??= "OrderedReady";
        spec["revisionHistoryLimit"] ??= 10;
        spec["updateStrategy"] ??= new JsonObject { ["type"] = "RollingUpdate", ["rollingUpdate"] = new JsonObject { ["partition"] = 0 } };
        var pod = PodSpec(live);
        pod["restartPolicy"] ??= "Always";
        pod["dnsPolicy"] ??= "ClusterFirst";
        pod["schedulerName"] ??= "default-scheduler";
        foreach (var container in pod["containers"]!.AsArray().Concat(pod["initContainers"]!.AsArray()).OfType<JsonObject>())
        {
            container["terminationMessagePath"] ??= "/dev/termination-log";
            container["terminationMessagePolicy"] ??= "File";
            container["imagePullPolicy"] ??= "IfNotPresent";
        }

        var probe = Container(live, "mongod")["readinessProbe"]!.AsObject();
        probe["timeoutSeconds"] ??= 1;
        probe["successThreshold"] ??= 1;
        probe["failureThreshold"] ??= 3;
        var claim = spec["volumeClaimTemplates"]![0]!.AsObject();
        claim["apiVersion"] ??= "v1";
        claim["kind"] ??= "PersistentVolumeClaim";
        claim["spec"]!["volumeMode"] ??= "Filesystem";
        claim["status"] ??= new JsonObject { ["phase"] = "Pending" };
        live["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"] = "2026-01-01T00:00:00Z";

        Assert.Empty(DriftDetector.Detect(Desired("StatefulSet", Name), live));
    }

    [Fact]
    public void A_service_with_allocated_addresses_and_defaults_has_no_findings()
    {
        var live = Live("Service", Name);
        AddBookkeeping(live);
        var spec = live["spec"]!.AsObject();
        spec["clusterIP"] ??= "10.96.0.12";
        spec["clusterIPs"] ??= new JsonArray("10.96.0.12");
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
        spec["sessionAffinity"] ??= "None";
        spec["internalTrafficPolicy"] ??= "Cluster";
        foreach (var port in spec["ports"]!.AsArray().OfType<JsonObject>())
        {
            port["protocol"] ??= "TCP";
        }

        Assert.Empty(DriftDetector.Detect(Desired("Service", Name), live));
    }

    [Fact]
    public void A_network_policy_with_bookkeeping_and_defaulted_protocols_has_no_findings()
    {
        var live = Live("NetworkPolicy", Name + "-egress-dns");
        AddBookkeeping(live);
        foreach (var rule in live["spec"]!["egress"]!.AsArray())
        {
            foreach (var port in rule!["ports"]!.AsArray().OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
            }
        }

        Assert.Empty(DriftDetector.Detect(Desired("NetworkPolicy", Name + "-egress-dns"), live));
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
