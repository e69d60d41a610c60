using HipaaMongo.Entities;
using k8s.Models;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// The mongod StatefulSet under the Pod Security "restricted" profile (secure-baseline.md 8.2,
/// ecosystem-conventions.md 6). Certificates are whole Secret volumes, never subPath mounts, so
/// cert-manager renewals reach the running pod (2.5, [K1]).
/// </summary>
internal static class StatefulSetRenderer
{
    /// <summary>A fixed non-root UID/GID; the data volume is group-owned through fsGroup.</summary>
    public const long MongodUid = 1001;

    /// <summary>
    /// The pod readiness gate the operator sets on each member pod (pods/status): True only while the member is
    /// PRIMARY, or SECONDARY within the lag bound as the primary's replSetGetStatus shows it (docs/rollouts.md, "Probes").
    /// </summary>
    public const string MemberReadyGate = "hipaa.mongooperator.io/member-ready";

    public static V1StatefulSet Render(BaselineModel m, string configHash) => new()
    {
        ApiVersion = "apps/v1",
        Kind = V1StatefulSet.KubeKind,
        Metadata = ObjectMetaFactory.Create(m, Names.StatefulSet(m.Name), Labels.Database),
        Spec = new V1StatefulSetSpec
        {
            Replicas = m.Members,
            ServiceName = Names.HeadlessService(m.Name),
            // Members start together: the operator initiates the replica set once all are up,
            // and OrderedReady would wait on readiness that needs the set to exist.
            PodManagementPolicy = "Parallel",
            // The operator rolls every template change itself, one member at a time and gated on the member's health,
            // the primary last after a step-down (docs/rollouts.md); with OnDelete the StatefulSet controller replaces
            // a pod only when it is deleted, and then at the update revision.
            UpdateStrategy = new V1StatefulSetUpdateStrategy { Type = "OnDelete" },
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(m.Name) },
            // Always Retain, whatever deletionPolicy says: the set never owns the claims, so deleting the set
            // (out of band; the operator re-creates it) never garbage-collects PHI. deletionPolicy: Delete hands
            // the claims to the HipaaMongo itself at finalization (Reconciliation/Deletion, docs/deletion.md).
            PersistentVolumeClaimRetentionPolicy = new V1StatefulSetPersistentVolumeClaimRetentionPolicy
            {
                WhenDeleted = "Retain",
                WhenScaled = "Retain",
            },
            Template = PodTemplate(m, configHash),
            VolumeClaimTemplates = [DataClaim(m)],
        },
    };

    private static V1PodTemplateSpec PodTemplate(BaselineModel m, string configHash) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Labels = Labels.For(m.Name, Labels.Database),
            Annotations = new Dictionary<string, string> { [WorkloadRenderer.ConfigHashAnnotation] = configHash },
        },
        Spec = new V1PodSpec
        {
            ServiceAccountName = Names.ServiceAccount(m.Name),
            AutomountServiceAccountToken = false,
            EnableServiceLinks = false,
            TerminationGracePeriodSeconds = 60,
            SecurityContext = new V1PodSecurityContext
            {
                RunAsNonRoot = true,
                RunAsUser = MongodUid,
                RunAsGroup = MongodUid,
                FsGroup = MongodUid,
                FsGroupChangePolicy = "OnRootMismatch",
                SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
            },
            Affinity = AntiAffinity(m),
            InitContainers = m.Kmip.RotationRequestedAt is { } rotation ? [ConfigCopier(m), MasterKeyRotator(m, rotation)] : [ConfigCopier(m)],
            Containers = [Mongod(m)],
            Volumes = PodVolumes.Volumes(m),
            // The pod is Ready only when its containers are and this condition is True (Kubernetes "Pod readiness
            // gate"): the operator judges the member from the primary's replSetGetStatus and writes the condition.
            ReadinessGates = [new V1PodReadinessGate { ConditionType = MemberReadyGate }],
        },
    };

    /// <summary>
    /// Copies the config out of the ConfigMap into a memory emptyDir readable by the mongod user only,
    /// as __exec expansion requires (secure-baseline.md 6, open point 10), and creates the audit directory.
    /// </summary>
    private static V1Container ConfigCopier(BaselineModel m) => new()
    {
        Name = "prepare",
        Image = m.Image,
        Command = ["sh", "-c", PodVolumes.InitScript(m)],
        SecurityContext = RestrictedContainer(),
        Resources = SmallResources(),
        VolumeMounts = PodVolumes.InitMounts(m),
    };

    /// <summary>
    /// Rotates the KMIP master key once per request: mongod started with --kmipRotateMasterKey re-wraps its data under a
    /// new key and exits 0 (MongoDB manual "Rotate Encryption Keys"; PSMDB MasterKeyRotationCompleted), so it runs as an
    /// init container before the normal start, not in the mongod container (which the kubelet would restart into another
    /// rotation). A marker named after the request in the data volume makes a later start of the same pod skip it.
    /// </summary>
    private static V1Container MasterKeyRotator(BaselineModel m, string requestedAt)
    {
        var marker = MasterKeyRotationMarker.Path(requestedAt);
        var mongod = string.Join(' ', ["mongod", .. Mongod(m).Args, "--kmipRotateMasterKey"]);
        return new V1Container
        {
            Name = "rotate-master-key",
            Image = m.Image,
            Command = ["sh", "-c", $"test -f {marker} || {mongod} && touch {marker}"],
            Env = Environment(m),
            SecurityContext = RestrictedContainer(),
            Resources = Resources(m.Resources),
            VolumeMounts = PodVolumes.MongodMounts(m),
            TerminationMessagePolicy = "FallbackToLogsOnError",
        };
    }

    private static V1Container Mongod(BaselineModel m) => new()
    {
        Name = "mongod",
        Image = m.Image,
        Command = ["mongod"],
        Args = m.Ldap is null
            ? ["--config", MountPaths.ConfigFile]
            : ["--config", MountPaths.ConfigFile, "--configExpand", "exec"],
        Env = Environment(m),
        Ports = [new V1ContainerPort { Name = "mongodb", ContainerPort = MountPaths.MongodPort, Protocol = "TCP" }],
        SecurityContext = RestrictedContainer(),
        Resources = Resources(m.Resources),
        // mongod listens only once WiredTiger recovery is done, so the startup probe (TCP) grants recovery of a large
        // data set up to StartupBudget; the kubelet runs liveness only after startup succeeded, and a member in
        // initial sync or RECOVERING still listens, so liveness never kills a recovering member. The container's
        // readiness is TCP (listening); the member's state is judged by the operator through the pod's readiness gate
        // (MemberReadyGate), so the pod is Ready only when both hold (docs/rollouts.md, "Probes").
        StartupProbe = TcpProbe(period: StartupPeriodSeconds, failureThreshold: StartupFailureThreshold),
        ReadinessProbe = TcpProbe(period: 10, failureThreshold: 3),
        LivenessProbe = TcpProbe(period: 20, failureThreshold: 6),
        VolumeMounts = PodVolumes.MongodMounts(m),
        // mongod writes no termination-log file; with this policy the kubelet puts the tail of its log into the
        // container's terminated state when it exits with an error, so a halted rollout can name mongod's own reason
        // from the pod status (no pods/log or pods/exec permission needed).
        TerminationMessagePolicy = "FallbackToLogsOnError",
    };

    private static List<V1EnvVar>? Environment(BaselineModel m)
    {
        var env = new List<V1EnvVar>();
        if (m.Edition == MongoEdition.Percona)
        {
            // Percona images report telemetry unless told not to (secure-baseline.md 1, 6).
            env.Add(new V1EnvVar { Name = "PERCONA_TELEMETRY_DISABLE", Value = "1" });
        }

        if (m.Ldap is not null)
        {
            // libldap reads its TLS CA settings from here instead of the read-only /etc/openldap.
            env.Add(new V1EnvVar { Name = "LDAPCONF", Value = MountPaths.LdapConfFile });
        }

        return env.Count == 0 ? null : env;
    }

    internal static V1SecurityContext RestrictedContainer() => new()
    {
        RunAsNonRoot = true,
        ReadOnlyRootFilesystem = true,
        AllowPrivilegeEscalation = false,
        Privileged = false,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    /// <summary>The startup probe's period and failures: 10 s x 2160 = 6 h for WiredTiger recovery before liveness applies.</summary>
    public const int StartupPeriodSeconds = 10;

    public const int StartupFailureThreshold = 2160;

    private static V1Probe TcpProbe(int period, int failureThreshold) => new()
    {
        TcpSocket = new V1TCPSocketAction { Port = "mongodb" },
        PeriodSeconds = period,
        TimeoutSeconds = 5,
        FailureThreshold = failureThreshold,
    };

    private static V1ResourceRequirements? Resources(ResourcesModel? r) => r is null
        ? null
        : new V1ResourceRequirements
        {
            Requests = r.Requests.Count == 0 ? null : r.Requests.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(kv.Value)),
            Limits = r.Limits.Count == 0 ? null : r.Limits.ToDictionary(kv => kv.Key, kv => new ResourceQuantity(kv.Value)),
        };

    private static V1ResourceRequirements SmallResources() => new()
    {
        Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("10m"), ["memory"] = new("16Mi") },
        Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("64Mi") },
    };

    /// <summary>Spread members over nodes and zones; preferred so small clusters still schedule.</summary>
    private static V1Affinity AntiAffinity(BaselineModel m) => new()
    {
        PodAntiAffinity = new V1PodAntiAffinity
        {
            PreferredDuringSchedulingIgnoredDuringExecution =
            [
                Spread(m, 100, "kubernetes.io/hostname"),
                Spread(m, 50, "topology.kubernetes.io/zone"),
            ],
        },
    };

    private static V1WeightedPodAffinityTerm Spread(BaselineModel m, int weight, string topologyKey) => new()
    {
        Weight = weight,
        PodAffinityTerm = new V1PodAffinityTerm
        {
            TopologyKey = topologyKey,
            LabelSelector = new V1LabelSelector { MatchLabels = Labels.Selector(m.Name) },
        },
    };

    private static V1PersistentVolumeClaim DataClaim(BaselineModel m) => new()
    {
        Metadata = new V1ObjectMeta { Name = PodVolumes.Data, Labels = Labels.For(m.Name, Labels.Database) },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = m.Storage.StorageClassName,
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new(m.Storage.Size) },
            },
        },
    };
}
