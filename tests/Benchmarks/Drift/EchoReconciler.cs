using System.Collections.Concurrent;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Reconcile;
using HipaaMongo.Entities;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Benchmarks.Drift;

/// <summary>
/// The floor: for a HipaaMongo key, remember its default-deny policy while the cache has it, and POST the remembered
/// copy back when the cache no longer does. No render, no drift detection, no status, no Events.
/// </summary>
public sealed class EchoReconciler(Informer<V1NetworkPolicy> policies, IKubernetes client) : IReconciler<HipaaMongoResource>
{
    readonly ConcurrentDictionary<ObjectKey, V1NetworkPolicy> copies = new();

    public static string PolicyName(string resource) => resource + "-default-deny";

    /// <summary>How many policies it has seen (and so could re-create).</summary>
    public int Remembered => copies.Count;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var policyKey = new ObjectKey(key.Namespace, PolicyName(key.Name));
        if (policies.Cache.Get(policyKey) is { } live)
        {
            copies[policyKey] = live;
            return ReconcileResult.Done;
        }

        if (!copies.TryGetValue(policyKey, out var copy))
        {
            return ReconcileResult.Done; // never seen: not ours to invent
        }

        try
        {
            await client.NetworkingV1.CreateNamespacedNetworkPolicyAsync(Fresh(copy), key.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // The cache lagged our own earlier create: it exists.
        }

        return ReconcileResult.Done;
    }

    static V1NetworkPolicy Fresh(V1NetworkPolicy copy) => new()
    {
        ApiVersion = copy.ApiVersion,
        Kind = copy.Kind,
        Metadata = new V1ObjectMeta
        {
            Name = copy.Metadata.Name,
            NamespaceProperty = copy.Metadata.NamespaceProperty,
            Labels = copy.Metadata.Labels,
            OwnerReferences = copy.Metadata.OwnerReferences,
        },
        Spec = copy.Spec,
    };
}
