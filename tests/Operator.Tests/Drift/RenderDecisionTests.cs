using HipaaMongo.Operator.Reconciliation.Drift;
using k8s;
using k8s.Models;
using static HipaaMongo.Operator.Tests.Drift.DriftFixture;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>Write decisions over a whole render, as the reconciler takes them object by object.</summary>
public class RenderDecisionTests
{
    [Fact]
    public void A_cache_holding_exactly_the_render_plans_zero_writes()
    {
        var state = Render();
        var cache = state.Objects.ToDictionary(Key, RoundTrip);
        var plan = Decide(state.Objects, d => cache[Key(d)]);
        Assert.Equal(state.Objects.Count, plan.Count);
        Assert.DoesNotContain(plan, p => p.Decision.WriteNeeded);
    }

    [Fact]
    public void A_deleted_policy_and_an_edited_config_map_are_the_only_writes()
    {
        var state = Render();
        var cache = state.Objects.ToDictionary(Key, RoundTrip);
        cache.Remove(("NetworkPolicy", Name + "-members"));
        var config = (V1ConfigMap)cache[("ConfigMap", Name + "-mongod-config")]!;
        config.Data["mongod.conf"] += "\nsetParameter:\n  enableLocalhostAuthBypass: true\n";

        var writes = Decide(state.Objects, d => cache.GetValueOrDefault(Key(d))).Where(p => p.Decision.WriteNeeded)
            .Select(p => (Key(p.Desired), p.Decision.Action)).ToList();

        Assert.Equal(
            [(("ConfigMap", Name + "-mongod-config"), ApplyAction.Replace), (("NetworkPolicy", Name + "-members"), ApplyAction.Create)],
            writes.Order());
    }

    private static List<(IKubernetesObject<V1ObjectMeta> Desired, ApplyDecision Decision)> Decide(
        IEnumerable<IKubernetesObject<V1ObjectMeta>> desired, Func<IKubernetesObject<V1ObjectMeta>, IKubernetesObject<V1ObjectMeta>?> liveOf) =>
        [.. desired.Select(d => (d, ApplyDecision.From(DriftDetector.Detect(d, liveOf(d)))))];

    private static (string Kind, string Name) Key(IKubernetesObject<V1ObjectMeta> o) => (o.Kind, o.Metadata.Name);

    /// <summary>What a cache would hold: the object as parsed back from the wire.</summary>
    private static IKubernetesObject<V1ObjectMeta>? RoundTrip(IKubernetesObject<V1ObjectMeta> o) => o switch
    {
        V1ConfigMap c => KubernetesJson.Deserialize<V1ConfigMap>(KubernetesJson.Serialize(c)),
        V1StatefulSet s => KubernetesJson.Deserialize<V1StatefulSet>(KubernetesJson.Serialize(s)),
        V1NetworkPolicy p => KubernetesJson.Deserialize<V1NetworkPolicy>(KubernetesJson.Serialize(p)),
        _ => o,
    };
}
