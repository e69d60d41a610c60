using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// The real kubectl v1.32 against the in-process server. Expected outputs come from
/// /work/shared/docs/kube-api-emulation.md (which cites kubectl/apiserver sources) and the CRD file, never from this server.
/// </summary>
public sealed class KubectlConformanceTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    Kubectl K => cluster.Kubectl;

    async Task<string> NamespaceAsync(string name)
    {
        await K.ApplyAsync(Manifests.Namespace(name));
        return name;
    }

    async Task InstallCrdAsync()
    {
        await K.ApplyAsync(Manifests.Crd);
        await K.OkAsync("wait", "--for=condition=Established", "crd/hipaamongos.hipaa.mongooperator.io", "--timeout=30s");
    }

    [Fact]
    public async Task Version_reports_server_1_32()
    {
        var json = JsonNode.Parse(await K.OkAsync("version", "-o", "json"))!;
        Assert.Equal("1", (string?)json["serverVersion"]?["major"]);
        Assert.Equal("32", (string?)json["serverVersion"]?["minor"]);
    }

    [Fact]
    public async Task Crd_apply_adds_the_kind_to_discovery_with_its_short_name()
    {
        await InstallCrdAsync();
        var output = await K.OkAsync("api-resources", "--api-group=hipaa.mongooperator.io");
        var row = output.Split('\n').Single(l => l.StartsWith("hipaamongos", StringComparison.Ordinal));
        Assert.Contains(" hm ", row);
        Assert.Contains("hipaa.mongooperator.io/v1alpha1", row);
        Assert.Contains("HipaaMongo", row);
    }

    [Fact]
    public async Task Client_side_apply_reports_created_unchanged_configured()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("csa");
        Assert.Contains("hipaamongo.hipaa.mongooperator.io/a created", await K.ApplyAsync(Manifests.HipaaMongo(ns, "a")));
        Assert.Contains("hipaamongo.hipaa.mongooperator.io/a unchanged", await K.ApplyAsync(Manifests.HipaaMongo(ns, "a")));
        Assert.Contains("hipaamongo.hipaa.mongooperator.io/a configured", await K.ApplyAsync(Manifests.HipaaMongo(ns, "a", "8.0.5")));
        Assert.Equal("8.0.5", await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "jsonpath={.spec.version}"));
    }

    [Fact]
    public async Task Get_shows_the_crd_printer_columns_and_wide_adds_priority_ones()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("cols");
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "a"));
        var crd = CrdColumns();
        var normal = (await K.OkAsync("get", "hm", "-n", ns)).Split('\n')[0];
        var wide = (await K.OkAsync("get", "hm", "-n", ns, "-o", "wide")).Split('\n')[0];
        var expectedNormal = new[] { "NAME" }.Concat(crd.Where(c => c.Priority == 0).Select(c => c.Name.ToUpperInvariant()));
        var expectedWide = new[] { "NAME" }.Concat(crd.Select(c => c.Name.ToUpperInvariant()));
        Assert.Equal(expectedNormal, normal.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(expectedWide.OrderBy(x => x), wide.Split(' ', StringSplitOptions.RemoveEmptyEntries).OrderBy(x => x));
        var row = (await K.OkAsync("get", "hm", "a", "-n", ns, "--no-headers")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("a", row[0]);
        Assert.Contains("8.0.4", row);
    }

    /// <summary>The columns as the CRD declares them (additionalPrinterColumns of its first version).</summary>
    static List<(string Name, int Priority)> CrdColumns()
    {
        var crd = JsonNode.Parse(Json(Manifests.Crd))!;
        return [.. crd["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray()
            .Select(c => ((string)c!["name"]!, c["priority"] is { } p ? (int)p : 0))];
    }

    [Fact]
    public async Task Explain_prints_the_crd_schema_description()
    {
        await InstallCrdAsync();
        var crd = JsonNode.Parse(Json(Manifests.Crd))!;
        var description = (string)crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["description"]!;
        // The plural, as a user must right after installing a CRD: with a discovery cache older than the CRD, kubectl
        // resolves a short name before it refreshes and never again for ResourceFor (client-go restmapper/shortcut.go
        // retries the expansion in KindFor only), so `explain hm.spec` fails on a real cluster then too.
        var output = await K.OkAsync("explain", "hipaamongos.spec");
        Assert.Contains("KIND:       HipaaMongo", output);
        Assert.Contains(description.Split('\n')[0].Trim(), output);
        await K.OkAsync("api-resources"); // refreshes the discovery cache, after which the short name resolves
        Assert.Equal(output, await K.OkAsync("explain", "hm.spec"));
    }

    static string Json(string yaml) => HipaaMongo.LocalCluster.Http.RequestBody.ParseYaml(yaml)!.ToJsonString();

    [Fact]
    public async Task Get_missing_object_prints_the_real_not_found_message()
    {
        await InstallCrdAsync();
        var r = await K.RunAsync("get", "hm", "nope", "-n", "default");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("Error from server (NotFound): hipaamongos.hipaa.mongooperator.io \"nope\" not found", r.Stderr);
    }

    [Fact]
    public async Task Get_yaml_has_server_set_metadata()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("yaml");
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "a"));
        var obj = JsonNode.Parse(await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "json"))!;
        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", (string)obj["metadata"]!["uid"]!);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", (string)obj["metadata"]!["creationTimestamp"]!);
        Assert.Equal(1, (int)obj["metadata"]!["generation"]!);
        Assert.Matches("^[0-9]+$", (string)obj["metadata"]!["resourceVersion"]!);
        var yaml = await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "yaml");
        Assert.Contains("kind: HipaaMongo", yaml);
    }

    [Fact]
    public async Task Patch_merge_and_json_work_on_custom_resources_and_strategic_is_415()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("patches");
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "a"));
        await K.OkAsync("patch", "hm", "a", "-n", ns, "--type", "merge", "-p", """{"metadata":{"labels":{"tier":"gold"}}}""");
        await K.OkAsync("patch", "hm", "a", "-n", ns, "--type", "json", "-p", """[{"op":"replace","path":"/spec/version","value":"8.0.9"}]""");
        Assert.Equal("gold 8.0.9", await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "jsonpath={.metadata.labels.tier} {.spec.version}"));
        var strategic = await K.RunAsync("patch", "hm", "a", "-n", ns, "-p", "{}");
        Assert.NotEqual(0, strategic.ExitCode);
        Assert.Contains("accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", strategic.Stderr);
    }

    [Fact]
    public async Task Strategic_patch_merges_containers_of_a_statefulset_by_name()
    {
        var ns = await NamespaceAsync("smp");
        await K.ApplyAsync($$$"""
            apiVersion: apps/v1
            kind: StatefulSet
            metadata:
              name: db
              namespace: {{{ns}}}
            spec:
              serviceName: db
              selector:
                matchLabels: {app: db}
              template:
                metadata:
                  labels: {app: db}
                spec:
                  containers:
                  - {name: mongod, image: "mongo:8.0"}
                  - {name: sidecar, image: "busybox:1"}
            """);
        await K.OkAsync("patch", "sts", "db", "-n", ns, "-p", """{"spec":{"template":{"spec":{"containers":[{"name":"mongod","image":"mongo:8.1"}]}}}}""");
        var images = await K.OkAsync("get", "sts", "db", "-n", ns, "-o", "jsonpath={.spec.template.spec.containers[*].image}");
        Assert.Equal("mongo:8.1 busybox:1", images);
        Assert.Equal("2", await K.OkAsync("get", "sts", "db", "-n", ns, "-o", "jsonpath={.metadata.generation}"));

        // kubectl scale goes through the autoscaling/v1 Scale subresource.
        Assert.Contains("statefulset.apps/db scaled", await K.OkAsync("scale", "sts", "db", "-n", ns, "--replicas=3"));
        Assert.Equal("3", await K.OkAsync("get", "sts", "db", "-n", ns, "-o", "jsonpath={.spec.replicas}"));
    }

    [Fact]
    public async Task Wait_for_condition_returns_once_status_says_true()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("waits");
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "a"));
        var waiting = K.RunAsync("wait", "--for=condition=Ready", "hm/a", "-n", ns, "--timeout=40s");
        await K.OkAsync("patch", "hm", "a", "-n", ns, "--subresource=status", "--type", "merge", "-p",
            """{"status":{"observedGeneration":1,"conditions":[{"type":"Ready","status":"True","reason":"Verified","message":"ok","lastTransitionTime":"2024-01-01T00:00:00Z","observedGeneration":1}]}}""");
        var r = await waiting;
        Assert.True(r.ExitCode == 0, r.All);
        Assert.Contains("hipaamongo.hipaa.mongooperator.io/a condition met", r.Stdout);
    }

    [Fact]
    public async Task Server_side_apply_twice_is_idempotent_and_conflicts_with_another_manager()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("ssa");
        Assert.Contains("serverside-applied", await K.ApplyAsync(Manifests.HipaaMongo(ns, "a"), "--server-side"));
        var rv1 = await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}");
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "a"), "--server-side");
        Assert.Equal(rv1, await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "jsonpath={.metadata.resourceVersion}"));
        var conflict = await K.RunWithInputAsync(Manifests.HipaaMongo(ns, "a", "8.0.7"), "apply", "-f", "-", "--server-side", "--field-manager=other");
        Assert.NotEqual(0, conflict.ExitCode);
        Assert.Contains("conflict with \"kubectl\"", conflict.Stderr);
        Assert.Contains(".spec.version", conflict.Stderr);
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "a", "8.0.7"), "--server-side", "--field-manager=other", "--force-conflicts");
        Assert.Equal("8.0.7", await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "jsonpath={.spec.version}"));
    }

    async Task<string> OwnedConfigMapAsync(string ns, string owner)
    {
        var uid = await K.OkAsync("get", "hm", owner, "-n", ns, "-o", "jsonpath={.metadata.uid}");
        await K.ApplyAsync($$"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: {{owner}}-cm
              namespace: {{ns}}
              ownerReferences:
              - {apiVersion: hipaa.mongooperator.io/v1alpha1, kind: HipaaMongo, name: {{owner}}, uid: {{uid}}, controller: true, blockOwnerDeletion: true}
            data: {k: v}
            """);
        return owner + "-cm";
    }

    static Task EventuallyAsync(Func<Task<bool>> condition, string what) =>
        Eventually.TrueAsync(condition, what, TimeSpan.FromSeconds(20));

    [Fact]
    public async Task Delete_background_and_foreground_remove_dependents_orphan_keeps_them()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("gc");
        foreach (var (name, cascade) in new[] { ("bg", "background"), ("fg", "foreground") })
        {
            await K.ApplyAsync(Manifests.HipaaMongo(ns, name));
            var cm = await OwnedConfigMapAsync(ns, name);
            await K.OkAsync("delete", "hm", name, "-n", ns, $"--cascade={cascade}", "--timeout=30s");
            await EventuallyAsync(async () => (await K.RunAsync("get", "cm", cm, "-n", ns)).Stderr.Contains("NotFound"), $"{cm} collected");
        }
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "or"));
        var kept = await OwnedConfigMapAsync(ns, "or");
        await K.OkAsync("delete", "hm", "or", "-n", ns, "--cascade=orphan", "--timeout=30s");
        Assert.Contains("NotFound", (await K.RunAsync("get", "hm", "or", "-n", ns)).Stderr);
        Assert.Equal("", await K.OkAsync("get", "cm", kept, "-n", ns, "-o", "jsonpath={.metadata.ownerReferences}"));
    }

    [Fact]
    public async Task Describe_lists_events_about_the_object()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("desc");
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "a"));
        var uid = await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "jsonpath={.metadata.uid}");
        await K.ApplyAsync($$"""
            apiVersion: events.k8s.io/v1
            kind: Event
            metadata: {name: a.1, namespace: {{ns}} }
            eventTime: "2024-01-01T00:00:00.000000Z"
            type: Normal
            reason: Reconciled
            note: replica set verified
            action: Reconcile
            reportingController: hipaa-mongo-operator
            reportingInstance: op-1
            regarding: {apiVersion: hipaa.mongooperator.io/v1alpha1, kind: HipaaMongo, name: a, namespace: {{ns}}, uid: {{uid}} }
            """);
        var output = await K.OkAsync("describe", "hm", "a", "-n", ns);
        Assert.Contains("Reconciled", output);
        Assert.Contains("replica set verified", output);
        var events = await K.OkAsync("get", "events", "-n", ns, "--field-selector", "involvedObject.name=a", "-o", "jsonpath={.items[*].reason}");
        Assert.Equal("Reconciled", events);
    }

    [Fact]
    public async Task Get_events_prints_kubectls_event_columns()
    {
        // kubernetes/pkg/printers/internalversion/printers.go eventColumnDefinitions and printEvent (v1.32).
        var ns = await NamespaceAsync("evtable");
        await K.ApplyAsync($$"""
            apiVersion: v1
            kind: Event
            metadata: {name: a.2, namespace: {{ns}} }
            involvedObject: {apiVersion: v1, kind: ConfigMap, name: cfg, namespace: {{ns}}, fieldPath: "data.k"}
            type: Warning
            reason: ConfigChanged
            message: "reverted: data.k changed  "
            source: {component: hipaa-mongo-operator, host: op-1}
            count: 3
            firstTimestamp: "2024-01-01T00:00:00Z"
            lastTimestamp: "2024-01-01T00:05:00Z"
            """);

        var lines = (await K.OkAsync("get", "events", "-n", ns)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var wide = (await K.OkAsync("get", "events", "-n", ns, "-o", "wide")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], Words(lines[0]));
        Assert.Equal(["Warning", "ConfigChanged", "configmap/cfg", "reverted:", "data.k", "changed"], Words(lines[1])[1..]);
        Assert.Equal(["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST", "SEEN", "COUNT", "NAME"], Words(wide[0]));
        var row = Words(wide[1]);
        Assert.Equal(["Warning", "ConfigChanged", "configmap/cfg", "data.k", "hipaa-mongo-operator,", "op-1", "reverted:", "data.k", "changed"],
            row[1..10]);
        Assert.Equal(["3", "a.2"], row[^2..]); // Count and Name, after First Seen
    }

    static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Built_in_objects_get_defaults_and_unknown_fields_are_rejected_strictly()
    {
        var ns = await NamespaceAsync("builtins");
        await K.ApplyAsync($$"""
            apiVersion: v1
            kind: Service
            metadata: {name: db, namespace: {{ns}} }
            spec:
              selector: {app: db}
              ports: [{port: 27017}]
            """);
        var svc = JsonNode.Parse(await K.OkAsync("get", "svc", "db", "-n", ns, "-o", "json"))!;
        Assert.Equal("ClusterIP", (string?)svc["spec"]!["type"]);
        Assert.Equal("TCP", (string?)svc["spec"]!["ports"]![0]!["protocol"]);
        Assert.Equal(27017, (int)svc["spec"]!["ports"]![0]!["targetPort"]!);
        Assert.StartsWith("10.", (string?)svc["spec"]!["clusterIP"]);
        var moved = await K.RunAsync("patch", "svc", "db", "-n", ns, "--type", "merge", "-p", """{"spec":{"clusterIP":"None","clusterIPs":["None"]}}""");
        Assert.NotEqual(0, moved.ExitCode);
        Assert.Contains("The Service \"db\" is invalid: spec.clusterIPs[0]: Invalid value: [\"None\"]: may not change once set", moved.Stderr);
        var bad = await K.RunWithInputAsync(Manifests.ConfigMap(ns, "x") + "\nbogus: 1\n", "apply", "-f", "-");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("unknown field \"bogus\"", bad.Stderr);
    }

    [Fact]
    public async Task Custom_resources_are_defaulted_validated_and_strictly_decoded_by_the_crd_schema()
    {
        await InstallCrdAsync();
        var ns = await NamespaceAsync("schema");
        await K.ApplyAsync(Manifests.HipaaMongo(ns, "a"));
        var crd = JsonNode.Parse(Json(Manifests.Crd))!;
        var members = crd["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["members"]!;
        // The schema's default fills the omitted field.
        Assert.Equal(members["default"]!.ToJsonString(), await K.OkAsync("get", "hm", "a", "-n", ns, "-o", "jsonpath={.spec.members}"));

        // A value outside the enum: 422 Invalid, cause FieldValueNotSupported at spec.members (doc §13).
        var outside = Enumerable.Range(1, 10).First(i => !members["enum"]!.AsArray().Any(e => (int)e! == i));
        var invalid = await K.RunAsync("patch", "hm", "a", "-n", ns, "--type", "merge", "-p", "{\"spec\":{\"members\":" + outside + "}}", "-v=6");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains($"spec.members: Unsupported value: {outside}: supported values:", invalid.Stderr);
        Assert.Contains("422", invalid.Stderr);

        // An unknown field under kubectl's fieldValidation=Strict: 400 with the strict decoding message (doc §7).
        var withUnknown = JsonNode.Parse(Manifests.HipaaMongo(ns, "b"))!;
        withUnknown["spec"]!["foo"] = "bar";
        var unknown = await K.RunWithInputAsync(withUnknown.ToJsonString(), "apply", "-f", "-");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("HipaaMongo in version \"v1alpha1\" cannot be handled as a HipaaMongo: strict decoding error: unknown field \"spec.foo\"", unknown.Stderr);
    }

    [Fact]
    public async Task Deleting_a_namespace_removes_its_objects()
    {
        var ns = await NamespaceAsync("doomed");
        await K.ApplyAsync(Manifests.ConfigMap(ns, "a"));
        await K.OkAsync("delete", "namespace", ns, "--timeout=30s");
        Assert.Contains("NotFound", (await K.RunAsync("get", "namespace", ns)).Stderr);
        Assert.Contains("No resources found", (await K.RunAsync("get", "cm", "-n", ns)).All);
    }
}
