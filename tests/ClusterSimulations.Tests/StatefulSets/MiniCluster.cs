using HipaaMongo.ClusterSimulations.Pods;
using HipaaMongo.ClusterSimulations.StatefulSets;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.StatefulSets;

/// <summary>Applies planner actions to in-memory pods and claims; pods start (Running/Ready) only when told.</summary>
internal sealed class MiniCluster(V1StatefulSet set) : IDisposable
{
    private readonly LoopbackAddressPool _ips = new();
    private int _uid;

    public void Dispose() => _ips.Dispose();

    public V1StatefulSet Set { get; } = set;

    /// <summary>The simulated "now": pods started become Ready at it; minReadySeconds is counted from it.</summary>
    public DateTime Now { get; set; } = new(2026, 11, 25, 6, 0, 0, DateTimeKind.Utc);
    public Dictionary<string, V1Pod> Pods { get; } = [];
    public Dictionary<string, V1PersistentVolumeClaim> Claims { get; } = [];
    public List<string> Deleted { get; } = [];

    public static V1StatefulSet NewSet(int replicas, string policy = "OrderedReady") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = new V1ObjectMeta { Name = "rs0", NamespaceProperty = "phi-db", Uid = "set-uid", Generation = 1 },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = "rs0-hs",
            PodManagementPolicy = policy,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "rs0" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "rs0" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "mongod", Image = "mongo:8.0.4" }] },
            },
            VolumeClaimTemplates =
            [
                new V1PersistentVolumeClaim
                {
                    Metadata = new V1ObjectMeta { Name = "data" },
                    Spec = new V1PersistentVolumeClaimSpec
                    {
                        AccessModes = ["ReadWriteOnce"],
                        Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } },
                    },
                },
            ],
        },
    };

    public List<V1ControllerRevision> Revisions { get; } = [];

    /// <summary>Plans one pass with the set's ControllerRevisions recorded as the reconciler records them.</summary>
    public StatefulSetPlan Plan()
    {
        var resolved = StatefulSetRevisions.Resolve(Set, Revisions);
        if (resolved.Create is { } created)
        {
            Revisions.Add(created);
        }
        if (resolved.Renumber is { } renumbered)
        {
            Revisions[Revisions.FindIndex(r => r.Metadata.Name == renumbered.Metadata.Name)] = renumbered;
        }
        return StatefulSetPlanner.Plan(Set, [.. Pods.Values], [.. Claims.Values], resolved, new DateTimeOffset(Now));
    }

    /// <summary>Plans once and applies the actions (deletions complete at once); returns the plan.</summary>
    public StatefulSetPlan Step()
    {
        var plan = Plan();
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case CreateClaim c: Claims.Add(c.Claim.Metadata.Name, c.Claim); break;
                case CreatePod p:
                    p.Pod.Metadata.Uid = $"pod-{++_uid}";
                    p.Pod.Status = new V1PodStatus { Phase = "Pending" }; // as the API server defaults it
                    Pods.Add(p.Pod.Metadata.Name, p.Pod);
                    break;
                case DeletePod d: DeletePod(d.Name); break;
                case UpdateClaimOwners u: Claims[u.Name].Metadata.OwnerReferences = u.Owners.Count == 0 ? null : u.Owners; break;
            }
        }
        if (plan.StatusChanged)
        {
            Set.Status = plan.Status;
        }
        return plan;
    }

    /// <summary>Deletes a pod at once (grace period 0) and, as the garbage collector, the claims it owned.</summary>
    public void DeletePod(string name)
    {
        var uid = Pods[name].Metadata.Uid;
        Pods.Remove(name);
        Deleted.Add(name);
        foreach (var claim in Claims.Values.Where(c => c.Metadata.OwnerReferences is { Count: > 0 } refs && refs.All(r => r.Uid == uid)).ToList())
        {
            Claims.Remove(claim.Metadata.Name);
        }
    }

    public void StartAll()
    {
        foreach (var pod in Pods.Values.Where(p => !PodRuntime.IsStarted(p)))
        {
            pod.Status = PodRuntime.Running(pod, _ips.For(pod.Metadata.Uid), Now);
        }
    }

    /// <summary>Steps and starts pods until a pass changes nothing (bounded).</summary>
    public void Settle()
    {
        for (var i = 0; i < 50; i++)
        {
            var plan = Step();
            StartAll();
            if (plan.Actions.Count == 0)
            {
                return;
            }
        }
        throw new InvalidOperationException("did not settle in 50 passes");
    }
}
