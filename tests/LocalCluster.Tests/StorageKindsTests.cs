using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// PersistentVolume, StorageClass and ControllerRevision as kube-apiserver serves them: scope and short names
/// (pkg/registry), defaults (pkg/apis/core/v1/defaults.go SetDefaults_PersistentVolume, pkg/apis/storage/v1/defaults.go)
/// and the columns kubectl prints (pkg/printers/internalversion/printers.go: persistentVolumeColumnDefinitions,
/// persistentVolumeClaimColumnDefinitions, storageClassColumnDefinitions, controllerRevisionColumnDefinition).
/// </summary>
public sealed class StorageKindsTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    Kubectl K => cluster.Kubectl;

    const string Objects = """
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata:
          name: standard
          annotations:
            storageclass.kubernetes.io/is-default-class: "true"
        provisioner: rancher.io/local-path
        ---
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: pv-data-0
        spec:
          capacity: {storage: 1024Mi}
          accessModes: [ReadWriteOnce, ReadWriteOncePod]
          storageClassName: standard
          hostPath: {path: /data/0}
          claimRef: {namespace: default, name: data-db-0}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: data-db-0
          namespace: default
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: standard
          resources: {requests: {storage: 1Gi}}
        ---
        apiVersion: apps/v1
        kind: ControllerRevision
        metadata:
          name: db-5d8f7c9b6
          namespace: default
          ownerReferences:
          - {apiVersion: apps/v1, kind: StatefulSet, name: db, uid: 0b7e0a4e-0000-4000-8000-000000000001, controller: true}
        revision: 2
        data: {spec: {template: {metadata: {labels: {app: db}}}}}
        """;

    static string[] Cells(string line) => line.Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    async Task ApplyAsync()
    {
        var output = await K.ApplyAsync(Objects);
        Assert.Contains("controllerrevision.apps/db-5d8f7c9b6", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_has_their_scope_and_short_names()
    {
        var rows = (await K.OkAsync("api-resources")).Split('\n');
        string Row(string name) => rows.Single(r => r.StartsWith(name + " ", StringComparison.Ordinal));
        Assert.Equal(["persistentvolumes", "pv", "v1", "false", "PersistentVolume"], Cells(Row("persistentvolumes")));
        Assert.Equal(["storageclasses", "sc", "storage.k8s.io/v1", "false", "StorageClass"], Cells(Row("storageclasses")));
        Assert.Equal(["controllerrevisions", "apps/v1", "true", "ControllerRevision"], Cells(Row("controllerrevisions")));
    }

    [Fact]
    public async Task Defaults_follow_the_v1_defaulting_functions()
    {
        await ApplyAsync();
        var pv = JsonNode.Parse(await K.OkAsync("get", "pv", "pv-data-0", "-o", "json"))!;
        Assert.Equal("Retain", (string?)pv["spec"]?["persistentVolumeReclaimPolicy"]);
        Assert.Equal("Filesystem", (string?)pv["spec"]?["volumeMode"]);
        Assert.Equal("1Gi", (string?)pv["spec"]?["capacity"]?["storage"]);
        var sc = JsonNode.Parse(await K.OkAsync("get", "sc", "standard", "-o", "json"))!;
        Assert.Equal("Delete", (string?)sc["reclaimPolicy"]);
        Assert.Equal("Immediate", (string?)sc["volumeBindingMode"]);
    }

    [Fact]
    public async Task Get_prints_kubectls_columns()
    {
        await ApplyAsync();
        var pv = (await K.OkAsync("get", "pv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"], Cells(pv[0]));
        Assert.Equal(["pv-data-0", "1Gi", "RWO,RWOP", "Retain", "Pending", "default/data-db-0", "standard", "<unset>"], Cells(pv[1])[..8]);
        Assert.EndsWith("VOLUMEMODE", (await K.OkAsync("get", "pv", "-o", "wide")).Split('\n')[0].TrimEnd(), StringComparison.Ordinal);

        var pvc = (await K.OkAsync("get", "pvc", "data-db-0")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"], Cells(pvc[0]));
        Assert.Equal(["data-db-0", "Pending", "standard", "<unset>"], Cells(pvc[1])[..4]);

        var sc = (await K.OkAsync("get", "sc")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"], Cells(sc[0]));
        Assert.Equal(["standard (default)", "rancher.io/local-path", "Delete", "Immediate", "false"], Cells(sc[1])[..5]);

        var cr = (await K.OkAsync("get", "controllerrevisions")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "CONTROLLER", "REVISION", "AGE"], Cells(cr[0]));
        Assert.Equal(["db-5d8f7c9b6", "statefulset.apps/db", "2"], Cells(cr[1])[..3]);
    }

    [Fact]
    public async Task A_bound_claim_shows_its_volume_capacity_and_modes()
    {
        // Its own claim: the other tests of this class share the cluster and expect data-db-0 Pending.
        await ApplyAsync();
        await K.ApplyAsync("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: data-db-bound, namespace: default}
            spec:
              accessModes: [ReadWriteOnce]
              storageClassName: standard
              resources: {requests: {storage: 1Gi}}
            """);
        await K.OkAsync("patch", "pvc", "data-db-bound", "--type=merge", "-p", """{"spec":{"volumeName":"pv-data-0"}}""");
        await K.OkAsync("patch", "pvc", "data-db-bound", "--subresource=status", "--type=merge", "-p",
            """{"status":{"phase":"Bound","capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"]}}""");
        var row = Cells((await K.OkAsync("get", "pvc", "data-db-bound", "--no-headers")).Trim());
        Assert.Equal(["data-db-bound", "Bound", "pv-data-0", "1Gi", "RWO", "standard", "<unset>"], row[..7]);
    }

    [Fact]
    public async Task New_claims_without_a_class_get_the_default_one()
    {
        await ApplyAsync();
        await K.ApplyAsync("""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: unclassed, namespace: default}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            ---
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: explicitly-none, namespace: default}
            spec:
              storageClassName: ""
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}
            """);
        Assert.Equal("standard", await K.OkAsync("get", "pvc", "unclassed", "-o", "jsonpath={.spec.storageClassName}"));
        Assert.Equal("", await K.OkAsync("get", "pvc", "explicitly-none", "-o", "jsonpath={.spec.storageClassName}"));
    }

    [Fact]
    public async Task A_controller_revisions_data_is_immutable_but_its_revision_is_not()
    {
        await ApplyAsync();
        await K.OkAsync("patch", "controllerrevision", "db-5d8f7c9b6", "--type=merge", "-p", """{"revision":3}""");
        Assert.Equal("3", await K.OkAsync("get", "controllerrevision", "db-5d8f7c9b6", "-o", "jsonpath={.revision}"));
        var changed = await K.RunAsync("patch", "controllerrevision", "db-5d8f7c9b6", "--type=merge", "-p", """{"data":{"spec":{"replicas":2}}}""");
        Assert.Equal(1, changed.ExitCode);
        // kubectl prints a 422 as `The <details.kind> "<name>" is invalid: <causes>` (kubectl/pkg/cmd/util/helpers.go).
        Assert.Contains("The ControllerRevision \"db-5d8f7c9b6\" is invalid: data: Invalid value:", changed.Stderr, StringComparison.Ordinal);
        Assert.Contains("field is immutable", changed.Stderr, StringComparison.Ordinal);
    }
}
