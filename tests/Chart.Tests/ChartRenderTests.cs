using System.Text.Json.Nodes;

namespace HipaaMongo.Chart.Tests;

/// <summary>What `helm template` renders for each mode of the values, checked by meaning.</summary>
public sealed class ChartRenderTests
{
    private const string Ns = "hipaa-mongo-system";

    private static async Task<Rendered> RenderAsync(string valuesFile) =>
        Rendered.Parse(await Tool.TemplateAsync(Ns, "-f", Path.Combine(Tool.ChartDir, "ci", valuesFile)));

    [Fact]
    public async Task Defaults_run_two_replicas_with_leader_election_under_a_disruption_budget()
    {
        var r = await RenderAsync("default-values.yaml");
        Assert.Equal(2, (long)r.Deployment["spec"]!["replicas"]!);
        Assert.Contains("--leader-elect", r.Args);
        Assert.Contains("--leader-election-namespace=" + Ns, r.Args);
        Assert.DoesNotContain(r.Args, a => a.StartsWith("--namespace", StringComparison.Ordinal));
        var pdb = Assert.Single(r.OfKind("PodDisruptionBudget"));
        Assert.Equal(1, (long)pdb["spec"]!["minAvailable"]!);
        Assert.True(JsonNode.DeepEquals(pdb["spec"]!["selector"], r.Deployment["spec"]!["selector"]));
    }

    [Fact]
    public async Task The_pod_meets_the_restricted_pod_security_standard_with_a_read_only_root()
    {
        var pod = (await RenderAsync("default-values.yaml")).Deployment["spec"]!["template"]!["spec"]!;
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
        var container = pod["containers"]![0]!;
        var sc = container["securityContext"]!;
        Assert.False((bool)sc["allowPrivilegeEscalation"]!);
        Assert.True((bool)sc["readOnlyRootFilesystem"]!);
        Assert.Equal(["ALL"], sc["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
        Assert.NotNull(container["resources"]!["requests"]!["memory"]);
        Assert.NotNull(container["resources"]!["limits"]!["memory"]);
        // Every rendered "-operator" NetworkPolicy admits the operator by this label.
        Assert.Equal("hipaa-mongo-operator", (string?)pod.Parent!["metadata"]!["labels"]!["app.kubernetes.io/name"]);
    }

    [Fact]
    public async Task Watching_every_namespace_binds_cluster_wide()
    {
        var r = await RenderAsync("default-values.yaml");
        Assert.Equal(["hm-hipaa-mongo-operator-manager", "hm-hipaa-mongo-operator-metrics-auth", "hm-hipaa-mongo-operator-secret-reader"],
            r.OfKind("ClusterRoleBinding").Select(b => (string)b["metadata"]!["name"]!).Order());
        Assert.Equal([Ns], r.OfKind("RoleBinding").Select(b => (string)b["metadata"]!["namespace"]!));
    }

    [Theory]
    [InlineData("default-values.yaml")]
    [InlineData("namespaces-values.yaml")]
    public async Task No_role_lets_the_operator_list_or_watch_secrets(string valuesFile)
    {
        var r = await RenderAsync(valuesFile);
        var rules = r.OfKind("ClusterRole").Concat(r.OfKind("Role")).SelectMany(role => role["rules"]!.AsArray().Select(rule => rule!));
        var onSecrets = rules.Where(rule => rule["resources"]?.AsArray().Any(x => (string?)x is "secrets" or "*") == true).ToList();
        Assert.NotEmpty(onSecrets);
        // get by name (the four identities), and create/update for a SCRAM user's own credential Secret; never list,
        // watch, patch (its reply is the whole object) or delete.
        Assert.All(onSecrets, rule => Assert.Contains(string.Join(",", rule["verbs"]!.AsArray().Select(v => (string)v!).Order()),
            new[] { "get", "create,update" }));
    }

    [Fact]
    public async Task Metrics_are_served_over_https_and_only_the_listed_readers_are_bound_to_get_them()
    {
        var r = await RenderAsync("default-values.yaml");
        Assert.Contains("--metrics-address=https://0.0.0.0:8443", r.Args);
        Assert.DoesNotContain(r.OfKind("ClusterRoleBinding"), b => (string?)b["metadata"]!["name"] == "hm-hipaa-mongo-operator-metrics-reader");
        var monitoring = await RenderAsync("monitoring-values.yaml");
        var reader = monitoring.Single("ClusterRoleBinding", "hm-hipaa-mongo-operator-metrics-reader");
        Assert.Equal("system:serviceaccount:monitoring:prometheus-k8s",
            $"system:serviceaccount:{reader["subjects"]![0]!["namespace"]}:{reader["subjects"]![0]!["name"]}");
        var endpoint = Assert.Single(monitoring.OfKind("ServiceMonitor"))["spec"]!["endpoints"]![0]!;
        Assert.Equal("https", (string?)endpoint["scheme"]);
        Assert.NotNull(endpoint["bearerTokenFile"]);
        Assert.NotNull(endpoint["tlsConfig"]);
    }

    [Fact]
    public async Task Watching_a_list_binds_only_in_those_namespaces_and_passes_them_to_the_operator()
    {
        var r = await RenderAsync("namespaces-values.yaml");
        // Only the review kinds of /metrics authentication, which are cluster-scoped and read nothing.
        Assert.Equal(["hm-hipaa-mongo-operator-metrics-auth"], r.OfKind("ClusterRoleBinding").Select(b => (string)b["metadata"]!["name"]!));
        var bound = r.OfKind("RoleBinding").Where(b => (string?)b["roleRef"]!["kind"] == "ClusterRole")
            .Select(b => $"{b["metadata"]!["namespace"]}/{b["roleRef"]!["name"]}").Order();
        Assert.Equal(["billing/hm-hipaa-mongo-operator-manager", "billing/hm-hipaa-mongo-operator-secret-reader",
            "clinical/hm-hipaa-mongo-operator-manager", "clinical/hm-hipaa-mongo-operator-secret-reader"], bound);
        Assert.Equal(["--namespace=clinical", "--namespace=billing"], r.Args.Where(a => a.StartsWith("--namespace", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_crds_are_kept_on_uninstall_by_default_and_left_out_when_managed_elsewhere()
    {
        var crds = (await RenderAsync("default-values.yaml")).OfKind("CustomResourceDefinition").ToList();
        Assert.Equal(2, crds.Count);
        Assert.All(crds, crd => Assert.Equal("keep", (string?)crd["metadata"]!["annotations"]!["helm.sh/resource-policy"]));
        var noKeep = Rendered.Parse(await Tool.TemplateAsync(Ns, "--set", "crds.keep=false"));
        Assert.All(noKeep.OfKind("CustomResourceDefinition"), crd => Assert.Null(crd["metadata"]!["annotations"]));
        var external = await RenderAsync("external-crds-values.yaml");
        Assert.Empty(external.OfKind("CustomResourceDefinition"));
        Assert.Empty(external.OfKind("PodDisruptionBudget")); // one replica: a budget of one would block every drain
        Assert.DoesNotContain("--leader-elect", external.Args);
        Assert.EndsWith("@sha256:" + new string('0', 64), (string?)external.Deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public async Task A_service_monitor_scrapes_the_metrics_port_and_only_the_monitoring_namespace_may()
    {
        var r = await RenderAsync("monitoring-values.yaml");
        var monitor = Assert.Single(r.OfKind("ServiceMonitor"));
        Assert.Equal("metrics", (string?)monitor["spec"]!["endpoints"]![0]!["port"]);
        Assert.Equal("metrics", (string?)Assert.Single(r.OfKind("Service"))["spec"]!["ports"]![0]!["name"]);
        var policy = Assert.Single(r.OfKind("NetworkPolicy"));
        var scrape = policy["spec"]!["ingress"]!.AsArray().Single(i => i!["from"] is not null)!;
        Assert.Equal("monitoring", (string?)scrape["from"]![0]!["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]);
        Assert.Empty((await RenderAsync("default-values.yaml")).OfKind("ServiceMonitor"));
    }

    [Theory]
    [InlineData("default-values.yaml", "kube-system", "k8s-app=kube-dns", null, 53)]
    [InlineData("openshift-dns-values.yaml", "openshift-dns", "dns.operator.openshift.io/daemonset-dns=default", null, 5353)]
    [InlineData("nodelocal-dns-values.yaml", "kube-system", "k8s-app=kube-dns", "169.254.20.10/32", 53)]
    public async Task The_operator_pod_and_the_mongod_pods_reach_dns_where_the_values_say(string file, string? ns, string? label, string? cidr, long port)
    {
        var rendered = await RenderAsync(file);
        // The operator renders each HipaaMongo's DNS egress from these arguments.
        Assert.Contains($"--dns-port={port}", rendered.Args);
        Assert.Contains($"--dns-pod-selector={label}", rendered.Args);
        var policy = Assert.Single(rendered.OfKind("NetworkPolicy"));
        var dns = policy["spec"]!["egress"]!.AsArray().Single(e => e!["ports"]!.AsArray().Any(p => (string?)p!["protocol"] == "UDP"))!;
        Assert.All(dns["ports"]!.AsArray(), p => Assert.Equal(port, (long)p!["port"]!));
        var peers = dns["to"]!.AsArray();
        // The DNS pods are always a peer; a CIDR is added beside them, never instead.
        var peer = peers[0]!;
        if (cidr is not null)
        {
            Assert.Contains($"--dns-cidr={cidr}", rendered.Args);
            Assert.Equal(cidr, (string?)Assert.Single(peers, p => p!["ipBlock"] is not null)!["ipBlock"]!["cidr"]);
        }
        else
        {
            Assert.Single(peers);
        }
        Assert.Equal(ns, (string?)peer["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]);
        var (key, value) = (label!.Split('=')[0], label.Split('=')[1]);
        Assert.Equal(value, (string?)Assert.Single(peer["podSelector"]!["matchLabels"]!.AsObject(), kv => kv.Key == key).Value);
    }
}
