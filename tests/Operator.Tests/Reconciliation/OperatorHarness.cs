using System.Text.Json.Nodes;
using HipaaMongo.ClusterSimulations;
using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.ClusterSimulations.Pods.Mongod;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Reconcile;
using HipaaMongo.Entities;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Hosting;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Users.Edge;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// An in-process LocalCluster with the HipaaMongo and cert-manager CRDs installed, the namespace of the
/// minimal sample, and the operator hosted against it exactly as `hipaa-mongo run` hosts it.
/// </summary>
internal sealed class OperatorHarness : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private IHost? _host;

    private readonly Kubernetes _operatorClient;

    private readonly FakeMemberVerifier? _members;

    private readonly IUserAccessEdge? _userEdge;

    private readonly CancellationTokenSource _stopSimulations = new();

    private Task _simulations = Task.CompletedTask;

    private MongodPodWorkload? _mongods;
    private TimeSpan? _rolloutHealthBound;
    private Operator.KeyManagement.KmipServerResolver? _kmipResolver;
    private Operator.Ldap.LdapServerResolver? _ldapResolver;

    // How soon the operator re-verifies a member it corrected; kept for every restart of this harness's operator.
    private TimeSpan _proveDelay = DefaultProveDelay;

    private static readonly TimeSpan DefaultProveDelay = TimeSpan.FromSeconds(1);

    private OperatorHarness(LocalClusterServer server, Kubernetes client, Kubernetes operatorClient, IHost? host, FakeMemberVerifier? members,
        IUserAccessEdge? userEdge = null)
    {
        _userEdge = userEdge;
        Server = server;
        Client = client;
        _operatorClient = operatorClient;
        _host = host;
        _members = members;
    }

    public LocalClusterServer Server { get; }

    public Kubernetes Client { get; }

    public static string Namespace => "clinical";

    public static string Name => "phi-db";

    /// <summary>
    /// Runs one pass of the sample resource the way the operator runs every pass: its key is added to the running
    /// controller's work queue, and this waits for a pass that started after the request (never a second,
    /// concurrent pass beside the hosted workers). A pass that threw rethrows here.
    /// </summary>
    public async Task<ReconcileResult> PassAsync(CancellationToken ct)
    {
        var pass = await RunningHost.Services.GetRequiredService<ReconcilePasses>()
            .RunAsync(new ObjectKey(Namespace, Name), ct).WaitAsync(Timeout, ct);
        if (pass.Error is { } error)
        {
            throw new InvalidOperationException($"the pass of {pass.Key} failed", error);
        }
        return pass.Result!;
    }

    /// <summary>
    /// Starts the cluster and the operator. With <paramref name="rbac"/>, LocalCluster authorizes every request
    /// and the operator runs as a service account bound only to config/rbac's manager and secret-reader ClusterRoles,
    /// as the install binds them (the trust step reads the CA and member Secrets by name before any member runs).
    /// </summary>
    /// <para>With <paramref name="members"/>, the cluster also runs the simulated cert-manager, the StatefulSet's
    /// pods are created Ready (<see cref="MemberPodMaker"/>; no mongod runs) and the operator verifies members
    /// through the fake.</para>
    /// <param name="simulations">With <paramref name="members"/>: the simulations to run (Workloads: the StatefulSet and
    /// PV controllers and a kubelet with nothing in the pods, instead of MemberPodMaker).</param>
    /// <para>With <paramref name="userEdge"/>, the user controller reads and changes database users through it.</para>
    public static async Task<OperatorHarness> StartAsync(CancellationToken ct, bool rbac = false, FakeMemberVerifier? members = null,
        bool startOperator = true, TimeSpan? proveCorrectionDelay = null, SimulationKinds simulations = SimulationKinds.CertManager,
        IUserAccessEdge? userEdge = null)
    {
        var proveDelay = proveCorrectionDelay ?? DefaultProveDelay;
        var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { EnableRbac = rbac }, ct);
        var client = server.CreateClient();
        await InstallCrdsAsync(client, ct);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: ct);
        var operatorClient = client;
        if (rbac)
        {
            await BindManagerRoleAsync(client, ct);
            operatorClient = new Kubernetes(server.ClientConfiguration(server.ServiceAccountToken(OperatorNamespace, OperatorAccount)));
        }
        var host = startOperator ? await StartOperatorAsync(operatorClient, members, proveDelay, ct, userEdge: userEdge) : null;
        var harness = new OperatorHarness(server, client, operatorClient, host, members, userEdge) { _proveDelay = proveDelay };
        if (members is not null)
        {
            var stop = harness._stopSimulations.Token;
            harness._simulations = Task.WhenAll(
                Task.Run(() => ClusterSimulationSet.RunAsync(client, simulations, TimeProvider.System,
                    NullLoggerFactory.Instance, null, stop), CancellationToken.None),
                simulations.HasFlag(SimulationKinds.Workloads) ? Task.CompletedTask
                    : Task.Run(() => MemberPodMaker.RunAsync(client, stop), CancellationToken.None));
        }
        return harness;
    }

    /// <summary>
    /// Starts the cluster with every simulation (cert-manager, the StatefulSet controller, pods that each run a
    /// mongod simulator from their mounted ConfigMap and Secrets) on a wall-following clock, the KMIP stand-in
    /// Secrets of the minimal sample, and the operator with its real members edge (MongoDB.Driver over x.509).
    /// </summary>
    /// <param name="rolloutHealthBound">How long a restarted member may take to become healthy before a rollout halts
    /// (the operator's 15 min by default; a test of the halt shortens it).</param>
    /// <param name="kmip">A real KMIP server the members and the operator reach (default: the stand-in Secrets only).</param>
    public static async Task<OperatorHarness> StartOnSimulatedClusterAsync(CancellationToken ct, TimeSpan? rolloutHealthBound = null,
        EndToEnd.KmipPeer? kmip = null, IReadOnlyDictionary<string, System.Net.IPEndPoint>? ldapServers = null)
    {
        var server = await LocalClusterServer.StartAsync(new LocalClusterOptions(), ct);
        var client = server.CreateClient();
        await InstallCrdsAsync(client, ct);
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } }, cancellationToken: ct);
        if (kmip is null)
        {
            await EndToEnd.KmipStandIn.CreateSecretsAsync(client, Namespace, Name, ct);
        }
        else
        {
            await kmip.CreateSecretsAsync(client, Namespace, Name, ct);
            kmip.ReachableFromMembers = true;
        }
        Operator.KeyManagement.KmipServerResolver? resolver = kmip is null ? null : (_, _) => kmip.EndPoint;
        // The operator's LDAPS probe reaches a directory name where the members do (read at each probe).
        Operator.Ldap.LdapServerResolver? ldap = ldapServers is null ? null : (host, _) => ldapServers.GetValueOrDefault(host);
        var harness = new OperatorHarness(server, client, client,
            await StartOperatorAsync(client, null, DefaultProveDelay, ct, rolloutHealthBound: rolloutHealthBound, kmipResolver: resolver,
                ldapResolver: ldap), null)
        {
            _rolloutHealthBound = rolloutHealthBound,
            _kmipResolver = resolver,
            _ldapResolver = ldap,
        };
        var clock = SimulationClock.FollowingWallClock();
        harness._mongods = new MongodPodWorkload(new KubernetesVolumeSource(client), NullLogger<MongodPodWorkload>.Instance,
            new MongodWorkloadOptions
            {
                Clock = clock,
                VolumeSyncPeriod = TimeSpan.FromSeconds(1),
                KmipServers = kmip is null ? new Dictionary<string, System.Net.IPEndPoint>() : kmip.ClusterServers,
                LdapServers = ldapServers ?? new Dictionary<string, System.Net.IPEndPoint>(),
            });
        var stop = harness._stopSimulations.Token;
        harness._simulations = Task.Run(() => ClusterSimulationSet.RunAsync(client, SimulationKinds.All, clock,
            NullLoggerFactory.Instance, harness._mongods, stop), CancellationToken.None);
        return harness;
    }

    /// <summary>The mongod simulator a pod runs (for out-of-band drift), when the cluster is simulated.</summary>
    public MongodPodWorkload Mongods => _mongods ?? throw new InvalidOperationException("not a simulated cluster");

    public const string OperatorNamespace = "hipaa-mongo-system";
    public const string OperatorAccount = "operator";

    private static async Task BindManagerRoleAsync(Kubernetes admin, CancellationToken ct)
    {
        await BindClusterRoleAsync(admin, "role.yaml", ct);
        await BindClusterRoleAsync(admin, "secret_reader_role.yaml", ct);
    }

    private static async Task BindClusterRoleAsync(Kubernetes admin, string file, CancellationToken ct)
    {
        var role = KubernetesYaml.Deserialize<V1ClusterRole>(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "config", "rbac", file)));
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(role, cancellationToken: ct);
        var binding = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = role.Metadata.Name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = role.Metadata.Name },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = OperatorAccount, NamespaceProperty = OperatorNamespace }],
        };
        await admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(binding, cancellationToken: ct);
    }

    /// <summary>Stops the operator and starts a fresh one (empty caches, new queue) against the same cluster.</summary>
    public async Task RestartOperatorAsync(CancellationToken ct)
    {
        await StopOperatorAsync();
        _host = await StartOperatorAsync(_operatorClient, _members, _proveDelay, ct, userEdge: _userEdge, rolloutHealthBound: _rolloutHealthBound,
            kmipResolver: _kmipResolver, ldapResolver: _ldapResolver);
    }

    /// <summary>Stops the operator; <see cref="StartStoppedOperatorAsync"/> starts a fresh one (as a restart, with a gap).</summary>
    public async Task StopRunningOperatorAsync()
    {
        await StopOperatorAsync();
        _host = null;
    }

    public async Task StartStoppedOperatorAsync(CancellationToken ct) =>
        _host = await StartOperatorAsync(_operatorClient, _members, _proveDelay, ct, userEdge: _userEdge, rolloutHealthBound: _rolloutHealthBound,
            kmipResolver: _kmipResolver, ldapResolver: _ldapResolver);

    /// <summary>Waits until every informer of the running operator has listed (its caches are warm).</summary>
    public Task WaitForCachesAsync(CancellationToken ct) =>
        EventuallyAsync(() => Task.FromResult(RunningHost.Services.GetServices<IInformer>().All(i => i.HasSynced)), synced => synced,
            "informer caches synced", ct);

    /// <summary>
    /// Starts one more operator replica against this cluster as the given service account (its requests are
    /// audited under that name), with leader election on the operator's Lease; the caller stops and disposes it.
    /// </summary>
    public async Task<IHost> StartReplicaAsync(string serviceAccount, CancellationToken ct)
    {
        var client = new Kubernetes(Server.ClientConfiguration(Server.ServiceAccountToken(OperatorNamespace, serviceAccount)));
        return await StartOperatorAsync(client, _members, _proveDelay, ct, leaderElect: true);
    }

    private static async Task<IHost> StartOperatorAsync(Kubernetes client, FakeMemberVerifier? members, TimeSpan proveDelay, CancellationToken ct,
        bool leaderElect = false, IUserAccessEdge? userEdge = null, TimeSpan? rolloutHealthBound = null,
        Operator.KeyManagement.KmipServerResolver? kmipResolver = null, Operator.Ldap.LdapServerResolver? ldapResolver = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        // HM_TEST_LOG=1 shows the operator's own log lines, timestamped, when a test needs explaining.
        if (Environment.GetEnvironmentVariable("HM_TEST_LOG") == "1")
        {
            builder.Logging.AddSimpleConsole(o => (o.SingleLine, o.TimestampFormat) = (true, "HH:mm:ss.fff ")).SetMinimumLevel(LogLevel.Debug);
        }
        builder.Services.AddSingleton<IKubernetes>(client);
        if (members is not null)
        {
            builder.Services.AddSingleton<IMemberVerifier>(members);
            builder.Services.AddSingleton<Operator.Reconciliation.Verification.IMemberActuator>(members);
            builder.Services.AddSingleton<Operator.Reconciliation.Verification.IBootstrapActuator>(members);
            builder.Services.AddSingleton<Operator.KeyManagement.IKeyManagementProbe>(members.Keys);
            builder.Services.AddSingleton<Operator.Ldap.IDirectoryProbe>(new Operator.Ldap.NoDirectoryProbe());
        }
        if (userEdge is not null)
        {
            builder.Services.AddSingleton(userEdge);
        }
        builder.Services.AddSingleton(new ReconcilerOptions
        {
            Render = RenderOptions.Default with { OperatorNamespace = OperatorNamespace },
            ProveCorrectionDelay = proveDelay,
            WaitRetry = TimeSpan.FromSeconds(1),
            RolloutHealthBound = rolloutHealthBound ?? new ReconcilerOptions().RolloutHealthBound,
        });
        builder.Services.AddHipaaMongoOperator(new OperatorOptions
        {
            ProbeAddress = "",
            MetricsAddress = "",
            JsonLogs = false,
            Namespaces = [Namespace],
            Workers = 2,
            LeaderElect = leaderElect,
            LeaderElectionNamespace = OperatorNamespace,
            KmipResolver = kmipResolver,
            LdapResolver = ldapResolver,
        });
        var host = builder.Build();
        await host.StartAsync(ct);
        return host;
    }

    /// <summary>A service of the running operator (to look at its in-process state).</summary>
    public T Service<T>()
        where T : notnull => RunningHost.Services.GetRequiredService<T>();

    private IHost RunningHost => _host ?? throw new InvalidOperationException("the harness was started without its operator");

    private async Task StopOperatorAsync()
    {
        if (_host is null)
        {
            return;
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _host.StopAsync(stop.Token);
        _host.Dispose();
    }

    /// <summary>The minimal sample as JSON, optionally edited before it is created.</summary>
    public static JsonObject Sample() =>
        YamlJson.Single(File.ReadAllText(Path.Combine(TestPaths.SamplesDir, "hipaa_v1alpha1_hipaamongo_minimal.yaml"))).AsObject();

    public Task CreateAsync(JsonObject resource, CancellationToken ct) =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync(resource, ApiGroup.Group, ApiGroup.Version, Namespace, ApiGroup.Plural,
            cancellationToken: ct);

    public async Task<JsonObject> GetResourceAsync(CancellationToken ct)
    {
        var obj = await Client.CustomObjects.GetNamespacedCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, Namespace,
            ApiGroup.Plural, Name, ct);
        return JsonNode.Parse(((System.Text.Json.JsonElement)obj).GetRawText())!.AsObject();
    }

    /// <summary>The condition of the given type in the live resource's status, or null.</summary>
    public async Task<JsonObject?> ConditionAsync(string type, CancellationToken ct)
    {
        var resource = await GetResourceAsync(ct);
        return (resource["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
    }

    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(CancellationToken ct) =>
        [.. (await Client.CoreV1.ListNamespacedEventAsync(Namespace, cancellationToken: ct)).Items
            .Where(e => e.InvolvedObject?.Kind == ApiGroup.Kind && e.InvolvedObject.Name == Name)];

    /// <summary>Polls <paramref name="check"/> until it holds, failing after <paramref name="within"/> (default <see cref="Timeout"/>).</summary>
    public static Task<T> EventuallyAsync<T>(Func<Task<T>> probe, Func<T, bool> check, string what, CancellationToken ct,
        TimeSpan? within = null) =>
        Eventually.ValueAsync(probe, check, what, within ?? Timeout, ct);

    public async ValueTask DisposeAsync()
    {
        await StopOperatorAsync();
        await _stopSimulations.CancelAsync();
        await _simulations.ContinueWith(_ => { }, TaskScheduler.Default);
        _stopSimulations.Dispose();
        if (_mongods is not null)
        {
            await _mongods.DisposeAsync();
        }
        if (!ReferenceEquals(_operatorClient, Client))
        {
            _operatorClient.Dispose();
        }
        Client.Dispose();
        await Server.DisposeAsync();
    }

    private static async Task InstallCrdsAsync(Kubernetes client, CancellationToken ct)
    {
        var files = new[]
        {
            Path.Combine(TestPaths.RepoRoot, "config", "crds", "hipaa.mongooperator.io_hipaamongos.yaml"),
            Path.Combine(TestPaths.RepoRoot, "config", "crds", "hipaa.mongooperator.io_hipaamongousers.yaml"),
            Path.Combine(TestPaths.RepoRoot, "config", "simulations", "cert-manager-crds.yaml"),
        };
        var crds = files.SelectMany(f => File.ReadAllText(f).Split("\n---"))
            .Where(doc => doc.Contains("kind: CustomResourceDefinition", StringComparison.Ordinal))
            .Select(doc => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(doc))
            .ToList();
        foreach (var crd in crds)
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd, cancellationToken: ct);
        }
        foreach (var crd in crds)
        {
            await EventuallyAsync(() => EstablishedAsync(client, crd.Metadata.Name, ct), ok => ok, $"CRD {crd.Metadata.Name} Established", ct);
        }
    }

    private static async Task<bool> EstablishedAsync(Kubernetes client, string name, CancellationToken ct)
    {
        try
        {
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: ct);
            return crd.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true;
        }
        catch (HttpOperationException)
        {
            return false;
        }
    }
}
