using k8s.Models;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>The built-in kinds an operator of this kind touches.</summary>
public static class BuiltinTypes
{
    static ResourceType T(string group, string version, string plural, string kind, bool namespaced, Type model,
        bool status = false, bool generation = false, params string[] shortNames) =>
        new(group, version, plural, kind.ToLowerInvariant(), kind, namespaced, shortNames, status, generation, false)
        { ModelType = model };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        T("", "v1", "namespaces", "Namespace", false, typeof(V1Namespace), status: true, shortNames: "ns"),
        T("", "v1", "configmaps", "ConfigMap", true, typeof(V1ConfigMap), shortNames: "cm"),
        T("", "v1", "secrets", "Secret", true, typeof(V1Secret)),
        T("", "v1", "services", "Service", true, typeof(V1Service), status: true, shortNames: "svc") with { Categories = ["all"] },
        T("", "v1", "serviceaccounts", "ServiceAccount", true, typeof(V1ServiceAccount), shortNames: "sa") with { ReturnsDeletedObject = true },
        T("", "v1", "pods", "Pod", true, typeof(V1Pod), status: true, shortNames: "po") with { Categories = ["all"], ReturnsDeletedObject = true },
        T("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true, typeof(V1PersistentVolumeClaim), status: true, shortNames: "pvc"),
        T("", "v1", "events", "Event", true, typeof(Corev1Event), shortNames: "ev") with { StoreKey = "events" },
        T("apps", "v1", "statefulsets", "StatefulSet", true, typeof(V1StatefulSet), status: true, generation: true, shortNames: "sts") with { HasScale = true, Categories = ["all"] },
        // Stored only (no controller runs it): so that an operator's own install (its Deployment) applies.
        T("apps", "v1", "deployments", "Deployment", true, typeof(V1Deployment), status: true, generation: true, shortNames: "deploy") with { HasScale = true, Categories = ["all"] },
        T("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, typeof(V1PodDisruptionBudget), status: true, generation: true, shortNames: "pdb"),
        T("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, typeof(V1NetworkPolicy), generation: true, shortNames: "netpol"),
        // Stored (and strictly checked) in core/v1 form after conversion.
        T("events.k8s.io", "v1", "events", "Event", true, typeof(Corev1Event), shortNames: "ev") with { StoreKey = "events" },
        T("coordination.k8s.io", "v1", "leases", "Lease", true, typeof(V1Lease)),
        T("rbac.authorization.k8s.io", "v1", "roles", "Role", true, typeof(V1Role)),
        T("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, typeof(V1RoleBinding)),
        T("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, typeof(V1ClusterRole)),
        T("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, typeof(V1ClusterRoleBinding)),
        T("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false,
            typeof(V1CustomResourceDefinition), status: true, generation: true, shortNames: ["crd", "crds"]),
        T("", "v1", "endpoints", "Endpoints", true, typeof(V1Endpoints), shortNames: "ep"),
        // For the simulated StatefulSet controller and volume provisioning (kube-apiserver's scopes, short names
        // and status subresources: pkg/registry/{apps/controllerrevision,core/persistentvolume,storage/storageclass}).
        T("apps", "v1", "controllerrevisions", "ControllerRevision", true, typeof(V1ControllerRevision)),
        T("", "v1", "persistentvolumes", "PersistentVolume", false, typeof(V1PersistentVolume), status: true, shortNames: "pv"),
        T("storage.k8s.io", "v1", "storageclasses", "StorageClass", false, typeof(V1StorageClass), shortNames: "sc") with { ReturnsDeletedObject = true },
    ];
}
