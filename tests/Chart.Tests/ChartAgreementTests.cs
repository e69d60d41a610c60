using System.Text.Json.Nodes;
using HipaaMongo.Operator.Tests;
using HipaaMongo.Operator.Tests.Drift;
using k8s;
using k8s.Models;

namespace HipaaMongo.Chart.Tests;

/// <summary>
/// config/ is the one source of the CRD, the RBAC rules and the image: the chart must say the same thing as
/// `kubectl kustomize config/default`. A failure here means scripts/sync-chart.sh was not run.
/// </summary>
public sealed class ChartAgreementTests
{
    private const string Fix = " (run scripts/sync-chart.sh after changing config/)";

    private static Task<string> DefaultsAsync() => Tool.TemplateAsync("hipaa-mongo-system");

    [Theory]
    [InlineData("ClusterRole", "hipaa-mongo-manager", "hm-hipaa-mongo-operator-manager")]
    [InlineData("ClusterRole", "hipaa-mongo-secret-reader", "hm-hipaa-mongo-operator-secret-reader")]
    [InlineData("Role", "hipaa-mongo-leader-election", "hm-hipaa-mongo-operator-leader-election")]
    [InlineData("ClusterRole", "hipaa-mongo-metrics-auth", "hm-hipaa-mongo-operator-metrics-auth")]
    [InlineData("ClusterRole", "hipaa-mongo-metrics-reader", "hm-hipaa-mongo-operator-metrics-reader")]
    public async Task Each_role_grants_exactly_what_config_rbac_grants(string kind, string kustomized, string charted)
    {
        var chart = Rendered.Parse(await DefaultsAsync()).Single(kind, charted);
        var config = new Rendered(KustomizeRender.Objects).Single(kind, kustomized);
        Assert.True(JsonNode.DeepEquals(config["rules"], chart["rules"]),
            $"{kind} rules differ{Fix}:\nconfig: {config["rules"]!.ToJsonString()}\nchart:  {chart["rules"]!.ToJsonString()}");
    }

    [Fact]
    public async Task The_chart_has_no_role_that_config_rbac_lacks()
    {
        var chart = Rendered.Parse(await DefaultsAsync());
        Assert.Equal(new Rendered(KustomizeRender.Objects).OfKind("ClusterRole").Count(), chart.OfKind("ClusterRole").Count());
        Assert.Equal(new Rendered(KustomizeRender.Objects).OfKind("Role").Count(), chart.OfKind("Role").Count());
    }

    [Theory]
    [InlineData("hipaa.mongooperator.io_hipaamongos.yaml")]
    [InlineData("hipaa.mongooperator.io_hipaamongousers.yaml")]
    public async Task The_crd_is_the_generated_one(string file)
    {
        // Compared as the API server receives them (helm's fromYaml/toYaml writes 86400.0 as 86400).
        var generated = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(
            File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "config", "crds", file)));
        var chart = Assert.Single(KubernetesYaml.LoadAllFromString(await DefaultsAsync()).OfType<V1CustomResourceDefinition>(),
            c => c.Metadata.Name == generated.Metadata.Name);
        var difference = FirstDifference(JsonNode.Parse(KubernetesJson.Serialize(generated.Spec)),
            JsonNode.Parse(KubernetesJson.Serialize(chart.Spec)), "spec");
        Assert.True(difference is null, $"the chart's CRD differs from config/crds at {difference}{Fix}");
        Assert.Equal(generated.Metadata.Name, chart.Metadata.Name);
    }

    [Fact]
    public async Task Chart_and_config_manager_run_the_same_image()
    {
        var chart = Rendered.Parse(await DefaultsAsync()).Deployment;
        var config = Assert.Single(new Rendered(KustomizeRender.Objects).OfKind("Deployment"));
        static string Image(JsonObject d) => (string)d["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!;
        Assert.Equal(Image(config), Image(chart));
        // ...and `make image` tags what they run.
        var made = await Tool.RunAsync("make", ["-s", "-C", Tool.RepoRoot, "image-ref"]);
        Assert.True(made.Code == 0, made.Stderr);
        Assert.Equal(Image(chart), made.Stdout.Trim());
    }

    [Fact]
    public async Task The_operator_reports_the_version_the_chart_installs()
    {
        var chart = await File.ReadAllTextAsync(Path.Combine(Tool.RepoRoot, "charts", "hipaa-mongo-operator", "Chart.yaml"), TestContext.Current.CancellationToken);
        var appVersion = chart.Split('\n').Single(l => l.StartsWith("appVersion:", StringComparison.Ordinal))["appVersion:".Length..].Trim().Trim('"');
        var version = await Tool.RunAsync(Path.Combine(AppContext.BaseDirectory, "hipaa-mongo"), ["version"]);
        Assert.True(version.Code == 0, version.Stderr);
        // InformationalVersion carries "+<commit>" after the release version.
        Assert.StartsWith($"hipaa-mongo {appVersion}", version.Stdout.Split('\n')[0], StringComparison.Ordinal);
        Assert.Matches(@"^hipaa-mongo \d+\.\d+\.\d+([+-].*)?$", version.Stdout.Split('\n')[0]);
    }

    private static string? FirstDifference(JsonNode? a, JsonNode? b, string path) => (a, b) switch
    {
        (JsonObject x, JsonObject y) => x.Select(kv => kv.Key).Union(y.Select(kv => kv.Key))
            .Select(k => FirstDifference(x[k], y[k], path + "." + k)).FirstOrDefault(d => d is not null),
        (JsonArray x, JsonArray y) when x.Count == y.Count =>
            x.Select((item, i) => FirstDifference(item, y[i], $"{path}[{i}]")).FirstOrDefault(d => d is not null),
        _ => JsonNode.DeepEquals(a, b) ? null : $"{path}: {a?.ToJsonString()} vs {b?.ToJsonString()}",
    };
}
