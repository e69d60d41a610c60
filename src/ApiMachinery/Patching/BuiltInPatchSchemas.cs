using static HipaaMongo.ApiMachinery.PatchSchema;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// Patch metadata of the built-in kinds an operator touches, transcribed from the Go struct tags in
/// k8s.io/api (<c>patchStrategy</c>, <c>patchMergeKey</c>, <c>listType</c>, <c>listMapKey</c>).
/// The first merge key is the strategic-merge key; all keys form the server-side-apply identity.
/// </summary>
internal static class BuiltInPatchSchemas
{
    private static readonly PatchSchema Conditions = MapList(Unknown, "type");

    internal static PatchSchema ObjectMeta { get; } = Object(
        true,
        ("finalizers", SetList()),
        ("ownerReferences", MapList(Unknown, "uid")),
        ("managedFields", AtomicList()));

    // metav1.LabelSelector is +structType=atomic.
    private static readonly PatchSchema Selector = AtomicObject();

    private static readonly PatchSchema Container = Object(
        true,
        ("ports", MapList(Unknown, "containerPort", "protocol")),
        ("env", MapList(Unknown, "name")),
        ("envFrom", AtomicList()),
        ("volumeMounts", MapList(Unknown, "mountPath")),
        ("volumeDevices", MapList(Unknown, "devicePath")),
        ("resizePolicy", AtomicList()));

    private static readonly PatchSchema PodSpec = Object(
        true,
        ("containers", MapList(Container, "name")),
        ("initContainers", MapList(Container, "name")),
        ("ephemeralContainers", MapList(Container, "name")),
        ("volumes", MapList(Unknown, "name").WithRetainKeys()),
        ("imagePullSecrets", MapList(Unknown, "name")),
        ("hostAliases", MapList(Unknown, "ip")),
        ("topologySpreadConstraints", MapList(Unknown, "topologyKey", "whenUnsatisfiable")),
        ("readinessGates", AtomicList()),
        ("resourceClaims", MapList(Unknown, "name").WithRetainKeys()),
        ("schedulingGates", MapList(Unknown, "name")),
        ("tolerations", AtomicList()));

    private static readonly PatchSchema PodTemplateSpec = Object(true, ("metadata", ObjectMeta), ("spec", PodSpec));

    private static readonly PatchSchema PodStatus = Object(
        true,
        ("conditions", Conditions),
        ("podIPs", MapList(Unknown, "ip")),
        ("hostIPs", MapList(Unknown, "ip")));

    private static readonly Dictionary<(string Group, string Kind), PatchSchema> Kinds = new()
    {
        [("", "Pod")] = Root(("spec", PodSpec), ("status", PodStatus)),
        [("", "PodTemplate")] = Root(("template", PodTemplateSpec)),
        [("", "ConfigMap")] = Root(),
        [("", "Secret")] = Root(),
        [("", "ServiceAccount")] = Root(
            ("secrets", MapList(Unknown, "name")),
            ("imagePullSecrets", AtomicList())),
        [("", "Namespace")] = Root(
            ("spec", Object(true, ("finalizers", AtomicList()))),
            ("status", Object(true, ("conditions", Conditions)))),
        [("", "Service")] = Root(
            ("spec", Object(
                true,
                ("ports", MapList(Unknown, "port", "protocol")),
                ("clusterIPs", AtomicList()),
                ("ipFamilies", AtomicList()),
                ("externalIPs", AtomicList()))),
            ("status", Object(true, ("conditions", Conditions)))),
        [("", "PersistentVolumeClaim")] = Root(
            ("spec", Object(true, ("accessModes", AtomicList()))),
            ("status", Object(true, ("conditions", Conditions)))),
        [("", "PersistentVolume")] = Root(
            ("spec", Object(true, ("accessModes", AtomicList()), ("mountOptions", AtomicList()))),
            ("status", Object(true))),
        [("storage.k8s.io", "StorageClass")] = Root(("mountOptions", AtomicList()), ("allowedTopologies", AtomicList())),
        [("apps", "ControllerRevision")] = Root(),
        [("", "Event")] = Root(),
        [("events.k8s.io", "Event")] = Root(),
        [("apps", "StatefulSet")] = Root(
            ("spec", Object(true, ("selector", Selector), ("template", PodTemplateSpec), ("volumeClaimTemplates", AtomicList()))),
            ("status", Object(true, ("conditions", Conditions)))),
        [("apps", "Deployment")] = Root(
            ("spec", Object(true, ("selector", Selector), ("template", PodTemplateSpec), ("strategy", Object(true).WithRetainKeys()))),
            ("status", Object(true, ("conditions", Conditions)))),
        [("apps", "DaemonSet")] = Root(
            ("spec", Object(true, ("selector", Selector), ("template", PodTemplateSpec))),
            ("status", Object(true, ("conditions", Conditions)))),
        [("policy", "PodDisruptionBudget")] = Root(
            ("spec", Object(true, ("selector", Selector))),
            ("status", Object(true, ("conditions", Conditions)))),
        [("networking.k8s.io", "NetworkPolicy")] = Root(
            ("spec", Object(
                true,
                ("podSelector", Selector),
                ("ingress", AtomicList()),
                ("egress", AtomicList()),
                ("policyTypes", AtomicList())))),
        [("coordination.k8s.io", "Lease")] = Root(),
        [("rbac.authorization.k8s.io", "Role")] = Root(("rules", AtomicList())),
        [("rbac.authorization.k8s.io", "ClusterRole")] = Root(("rules", AtomicList())),
        [("rbac.authorization.k8s.io", "RoleBinding")] = Root(("subjects", AtomicList())),
        [("rbac.authorization.k8s.io", "ClusterRoleBinding")] = Root(("subjects", AtomicList())),
        [("apiextensions.k8s.io", "CustomResourceDefinition")] = Root(
            ("spec", Object(true, ("versions", AtomicList()))),
            ("status", Object(true, ("conditions", Conditions)))),
    };

    /// <summary>The table for a built-in kind, or null when the kind is not built in.</summary>
    internal static PatchSchema? Find(string group, string version, string kind) =>
        Kinds.GetValueOrDefault((group is null or "core" ? "" : group, kind));

    private static PatchSchema Root(params (string Name, PatchSchema Schema)[] fields) =>
        Object(true, [("metadata", ObjectMeta), .. fields]);
}
