using HipaaMongo.ControllerRuntime.Hosting;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Identity;
using HipaaMongo.Operator.KeyManagement;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Connection;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Deletion;
using HipaaMongo.Operator.Reconciliation.Evidence;
using HipaaMongo.Operator.Reconciliation.Rolling;
using HipaaMongo.Operator.Reconciliation.Scaling;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Users;
using HipaaMongo.Operator.Users.Edge;
using HipaaMongo.Operator.Users.Journal;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HipaaMongo.Operator.Hosting;

/// <summary>Wires the HipaaMongo controller onto a Microsoft.Extensions.Hosting host through the controller runtime.</summary>
public static class OperatorServices
{
    public const string ControllerName = "hipaamongo";
    public const string LeaseName = "hipaa-mongo-operator";

    public static ResourceType HipaaMongoType { get; } = new(ApiGroup.Group, ApiGroup.Version, ApiGroup.Plural, ApiGroup.Kind);

    public const string UserControllerName = "hipaamongouser";

    public static ResourceType HipaaMongoUserType { get; } = new(ApiGroup.Group, ApiGroup.Version, UserApiGroup.Plural, UserApiGroup.Kind);

    /// <summary>
    /// Registers the runtime, the HipaaMongo controller and every owned kind's informer, cert-manager's Certificates
    /// and Issuers included (so a deleted, edited or renewed child wakes its owner from its watch event, and a pass at
    /// rest reads nothing from the API server). Register an IKubernetes first to choose the cluster.
    /// </summary>
    public static IServiceCollection AddHipaaMongoOperator(this IServiceCollection services, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ReconcilerOptions { Render = RenderOptions.Default with { OperatorNamespace = options.OperatorNamespace, Dns = options.Dns } });
        services.TryAddSingleton<OwnedCaches>();
        services.TryAddSingleton<ObjectWriter>();
        services.TryAddSingleton(sp => new DefaultedRenders(sp.GetRequiredService<ObjectWriter>(),
            () => sp.GetRequiredService<Informer<HipaaMongoResource>>().Cache.List().Select(r => r.Metadata.Uid)));
        services.TryAddSingleton<ChildApplier>();
        services.TryAddSingleton<StatusWriter>();
        // The real members edge (MongoDB.Driver); tests register their own IMemberVerifier before this call.
        services.TryAddSingleton<IMemberVerifier>(sp => new MongoMemberVerifier(new MemberClientOptions(), sp.GetRequiredService<TimeProvider>()));
        // The replica-set edge is the members edge when it is one (MongoMemberVerifier); a fake members edge has none.
        services.TryAddSingleton<IReplicaSetEdge>(sp => sp.GetRequiredService<IMemberVerifier>() as IReplicaSetEdge ?? new UnavailableReplicaSetEdge());
        services.TryAddSingleton<ScaleStep>();
        services.TryAddSingleton<CertificateRequestIdentities>();
        services.TryAddSingleton<RolloutStep>();
        services.TryAddSingleton<ReadinessGateStep>();
        services.TryAddSingleton<Reconciliation.Certificates.CaTrustStep>();
        services.TryAddSingleton<CredentialsLoader>();
        // The operator's own KMIP probe (key state, reachability); tests may register their own first.
        services.TryAddSingleton<KmipCredentialsLoader>();
        services.TryAddSingleton<IKeyManagementProbe>(sp => new KmipProbe(sp.GetRequiredService<TimeProvider>(), options.KmipResolver));
        // The operator's own LDAPS probe of spec.ldap's directory (reachability only); tests may register their own first.
        services.TryAddSingleton<Ldap.IDirectoryProbe>(sp => new Ldap.LdapProbe(sp.GetRequiredService<k8s.IKubernetes>(), options.LdapResolver));
        // Read, decide, act for one member: the members edge reads and runs what the planner decided.
        services.TryAddSingleton<IMemberActuator>(sp => new MemberActuator(sp.GetRequiredService<IMemberVerifier>()));
        services.TryAddSingleton<IBootstrapActuator>(sp => sp.GetRequiredService<IMemberVerifier>() is IBootstrapEdge edge
            ? new BootstrapActuator(edge, sp.GetRequiredService<TimeProvider>())
            : new UnavailableBootstrapActuator());
        services.TryAddSingleton<MemberVerificationStep>();
        services.TryAddSingleton<EvidenceWriter>();
        services.TryAddSingleton<VolumeHandover>();
        services.TryAddSingleton<Reconciliation.Storage.StorageStep>();
        services.TryAddSingleton<HipaaMongoReconciler>();
        // Declared users: their own controller beside the HipaaMongo one; tests register their own edge first.
        services.TryAddSingleton<IUserAccessEdge>(_ => new MongoUserAccessEdge(new MemberClientOptions()));
        services.TryAddSingleton<UserCredentialStore>();
        services.TryAddSingleton<UserStatusWriter>();
        services.TryAddSingleton<AccessJournalStore>();
        var foreignPolicies = new ForeignPolicyTrigger();
        var passes = new ReconcilePasses();
        services.AddSingleton(passes);
        services.TryAddSingleton(foreignPolicies);
        services.AddControllerRuntime(o => Configure(o, options), ReconcilerOptions.EventSource)
            .AddController<HipaaMongoResource, RecordedReconciler>(ControllerName, options.Workers, w => w
                .Owns<V1ServiceAccount>()
                .Owns<V1ConfigMap>()
                .Owns<V1NetworkPolicy>()
                .Owns<V1Service>()
                .Owns<V1StatefulSet>()
                .Owns<V1PodDisruptionBudget>()
                .Owns<LiveCertificate>(notServedHint: CertManagerKinds.NotServedHint)
                .Owns<LiveIssuer>(notServedHint: CertManagerKinds.NotServedHint)
                .Watches<V1NetworkPolicy>(foreignPolicies.Map)
                .Watches<V1Pod>(MemberPods.Owner)
                .Watches<HipaaMongoUserResource>(_ => UsersSet, PhiAccessChanged, HipaaMongoUserType)
                .Triggers(passes.Trigger), HipaaMongoType)
            .AddController<HipaaMongoUserResource, UserAccessReconciler>(UserControllerName, options.Workers, w => w
                .Watches<HipaaMongoResource>(sp => ClusterUsersMap(sp.GetRequiredService<Informer<HipaaMongoUserResource>>().Cache),
                    ControllerWatches.GenerationChanged, HipaaMongoType), HipaaMongoUserType);
        return services;
    }

    // A user's PHI access moving (or the user coming or going) wakes its HipaaMongo, whose status lists the roster.
    private static IEnumerable<ControllerRuntime.ObjectKey> UsersSet(HipaaMongoUserResource user) =>
        user.Spec?.HipaaMongoRef?.Name is { Length: > 0 } set ? [new(user.Metadata.NamespaceProperty, set)] : [];

    private static bool PhiAccessChanged(HipaaMongoUserResource old, HipaaMongoUserResource current) =>
        !(old.Status?.PhiAccess ?? []).SequenceEqual(current.Status?.PhiAccess ?? [], StringComparer.Ordinal);

    // A spec change of a HipaaMongo (its roles, PHI databases, members) wakes its users; its status writes do not.
    private static Func<HipaaMongoResource, IEnumerable<ControllerRuntime.ObjectKey>> ClusterUsersMap(ObjectCache<HipaaMongoUserResource> users) =>
        cluster => ClusterUsers.Of(users, cluster);

    /// <summary>Throws ArgumentException naming the first unusable setting (the host checks again at start).</summary>
    public static void Validate(OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Workers < 1)
        {
            throw new ArgumentException($"Workers must be at least 1, not {options.Workers}");
        }
        var runtime = new ControllerRuntimeOptions();
        Configure(runtime, options);
        runtime.Validate();
    }

    private static void Configure(ControllerRuntimeOptions o, OperatorOptions options)
    {
        o.ProbeAddress = options.ProbeAddress;
        o.MetricsAddress = options.MetricsAddress;
        o.MetricsCertDir = options.MetricsCertDir;
        o.WatchNamespaces = [.. options.Namespaces];
        o.JsonLogs = options.JsonLogs;
        o.LeaderElection.Enabled = options.LeaderElect;
        o.LeaderElection.Namespace = options.LeaderElectionNamespace;
        o.LeaderElection.LeaseName = LeaseName;
    }
}
