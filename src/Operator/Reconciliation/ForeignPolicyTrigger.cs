using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>
/// Maps a NetworkPolicy that is not ours to every HipaaMongo in its namespace, so a policy that opens
/// our pods is reported from its watch event rather than at the next periodic pass. The HipaaMongo
/// cache is attached when the reconciler is built, which the runtime does before informers deliver events.
/// </summary>
public sealed class ForeignPolicyTrigger
{
    private ObjectCache<HipaaMongoResource>? _resources;

    public ForeignPolicyTrigger Attach(ObjectCache<HipaaMongoResource> resources)
    {
        Volatile.Write(ref _resources, resources);
        return this;
    }

    public IEnumerable<ObjectKey> Map(V1NetworkPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var ours = policy.Metadata?.OwnerReferences?.Any(o => o.Controller == true && o.Kind == ApiGroup.Kind
            && o.ApiVersion.StartsWith(ApiGroup.Group + "/", StringComparison.Ordinal)) == true;
        var resources = Volatile.Read(ref _resources);
        return ours || resources is null
            ? []
            : [.. resources.List(policy.Metadata?.NamespaceProperty).Select(r => ObjectKey.From(r))];
    }
}
