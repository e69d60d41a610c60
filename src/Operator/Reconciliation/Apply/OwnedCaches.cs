using System.Text.Json.Nodes;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>
/// The informer caches of every owned kind (built-in, and cert-manager's Certificates and Issuers), and of pods.
/// A cache miss is not proof of absence (the cache may lag our own create), so callers confirm a miss with a GET
/// before creating.
/// </summary>
public sealed class OwnedCaches(
    Informer<V1ServiceAccount> serviceAccounts,
    Informer<V1ConfigMap> configMaps,
    Informer<V1NetworkPolicy> networkPolicies,
    Informer<V1Service> services,
    Informer<V1StatefulSet> statefulSets,
    Informer<V1PodDisruptionBudget> disruptionBudgets,
    Informer<LiveCertificate> certificates,
    Informer<LiveIssuer> issuers,
    Informer<V1Pod> pods)
{
    /// <summary>The members' pods (watched, never written: RBAC grants get/list/watch only).</summary>
    public ObjectCache<V1Pod> Pods => pods.Cache;

    public ObjectCache<V1NetworkPolicy> NetworkPolicies => networkPolicies.Cache;

    public ObjectCache<V1ConfigMap> ConfigMaps => configMaps.Cache;

    public ObjectCache<V1StatefulSet> StatefulSets => statefulSets.Cache;

    /// <summary>The rendered Certificates as cert-manager last wrote them (the trust step reads the member's Issuing condition).</summary>
    public ObjectCache<LiveCertificate> Certificates => certificates.Cache;

    /// <summary>The cached live copy as JSON, or null when the kind is not cached or the object is not in the cache.</summary>
    public JsonObject? Find(IKubernetesObject<V1ObjectMeta> desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var key = new ObjectKey(desired.Metadata.NamespaceProperty, desired.Metadata.Name);
        IKubernetesObject<V1ObjectMeta>? live = desired switch
        {
            V1ServiceAccount => serviceAccounts.Cache.Get(key),
            V1ConfigMap => configMaps.Cache.Get(key),
            V1NetworkPolicy => networkPolicies.Cache.Get(key),
            V1Service => services.Cache.Get(key),
            V1StatefulSet => statefulSets.Cache.Get(key),
            V1PodDisruptionBudget => disruptionBudgets.Cache.Get(key),
            CertManagerObject { Kind: "Certificate" } => certificates.Cache.Get(key),
            CertManagerObject { Kind: "Issuer" } => issuers.Cache.Get(key),
            _ => null,
        };
        return live is null ? null : ObjectJson.From(live);
    }
}
