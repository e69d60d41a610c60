using System.Collections.Concurrent;
using System.Net;
using HipaaMongo.MongodSimulator.Auth.Ldap;
using HipaaMongo.MongodSimulator.Config;
using HipaaMongo.MongodSimulator.Server;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>Where pod files live and which clock the simulators use.</summary>
public sealed class MongodWorkloadOptions
{
    /// <summary>Root of the per-pod directories and claim directories (default: a fresh temp directory, removed at dispose).</summary>
    public string? RootDirectory { get; init; }

    /// <summary>The port mongod listens on in the pod; the simulator binds podIP:Port.</summary>
    public int Port { get; init; } = 27017;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How often running pods' ConfigMap/Secret files are refreshed (real time, like the kubelet's sync); null = never.</summary>
    public TimeSpan? VolumeSyncPeriod { get; init; }

    /// <summary>
    /// Where this cluster's KMIP servers are (a name as members' configs write it, e.g.
    /// "kmip.security.svc.cluster.local", to a local endpoint). Empty: the cluster runs no KMIP server and members
    /// only parse their KMIP options (they report no key id); otherwise members dial KMIP at start-up as mongod does,
    /// and a name not listed does not resolve.
    /// </summary>
    public IReadOnlyDictionary<string, IPEndPoint> KmipServers { get; init; } = new Dictionary<string, IPEndPoint>();

    /// <summary>
    /// Where this cluster's LDAP directories are (a name as security.ldap.servers writes it, e.g.
    /// "ldap.directory.svc.cluster.local", to a local LDAPS endpoint). Empty: the cluster runs no directory and members
    /// only parse their LDAP options (PLAIN is refused); otherwise members bind to it as mongod does (the start-up
    /// validation and every PLAIN login), with the ldap.conf the container's LDAPCONF names, and a name not listed
    /// does not resolve.
    /// </summary>
    public IReadOnlyDictionary<string, IPEndPoint> LdapServers { get; init; } = new Dictionary<string, IPEndPoint>();
}

/// <summary>
/// Runs a mongod simulator in each pod whose container image is a mongod: the pod's volumes are set up as files
/// (as the kubelet mounts them), simple init-container file steps are run, the container's mongod.conf is read
/// with only its mount paths mapped to local directories, and the simulator listens on podIP:27017 advertising
/// the pod's DNS name. A config mongod refuses fails the start with mongod's reason. Other pods start at once.
/// </summary>
public sealed class MongodPodWorkload : IPodWorkload, IAsyncDisposable
{
    private readonly IPodVolumeSource _source;
    private readonly MongodWorkloadOptions _options;
    private readonly ILogger _log;
    private readonly string _root;
    private readonly ConcurrentDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sync;
    private readonly SimulatedNetwork _network = new(); // this cluster's pods reach each other, never another cluster's
    private readonly ConcurrentDictionary<string, int> _killed = new(StringComparer.Ordinal); // pod uid -> exit code

    public MongodPodWorkload(IPodVolumeSource source, ILogger<MongodPodWorkload> log, MongodWorkloadOptions? options = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _log = log ?? throw new ArgumentNullException(nameof(log));
        _options = options ?? new MongodWorkloadOptions();
        _root = _options.RootDirectory ?? Directory.CreateTempSubdirectory("hm-pods-").FullName;
        _sync = _options.VolumeSyncPeriod is { } period ? SyncLoopAsync(period, _stop.Token) : Task.CompletedTask;
    }

    /// <summary>Refreshes the ConfigMap and Secret files of every running pod once (see <see cref="PodVolumes.RefreshAsync"/>).</summary>
    public async Task SyncVolumesAsync(CancellationToken cancellationToken)
    {
        foreach (var (_, running) in _running)
        {
            await Volumes(running.Directory).RefreshAsync(running.Pod, cancellationToken);
        }
    }

    private async Task SyncLoopAsync(TimeSpan period, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await SyncVolumesAsync(ct);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or k8s.Autorest.HttpOperationException)
                {
                    // A pod stopping mid-sync or an API hiccup; the next tick tries again, as the kubelet does.
                    _log.LogDebug("volume sync failed: {Error}", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // disposed
        }
    }

    private PodVolumes Volumes(string podDir) => new(_source, podDir, Path.Combine(_root, "claims"));

    /// <summary>The running simulator of a pod (by UID), for tests and admin tools.</summary>
    public MongodSimulatorHost? HostOf(string podUid) => _running.TryGetValue(podUid, out var r) ? r.Host : null;

    public async Task<PodStartFailure?> StartAsync(V1Pod pod, string podIp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var container = pod.Spec.Containers.FirstOrDefault(c => MongodImage.IsMongod(c.Image));
        if (container is null)
        {
            return null;
        }
        var uid = pod.Metadata.Uid ?? $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
        await StopAsync(uid); // a restart after a crash starts from fresh volumes, as a new container would
        _killed.TryRemove(uid, out _);
        var podDir = Path.Combine(_root, "pods", uid);
        try
        {
            var host = await LaunchAsync(pod, container, podIp, podDir, cancellationToken);
            PodPort port;
            try
            {
                port = PodPort.Start(new IPEndPoint(IPAddress.Parse(podIp), _options.Port), host.EndPoint);
            }
            catch (IOException)
            {
                await host.DisposeAsync();
                throw;
            }
            _running[uid] = new Running(host, port, podDir, pod);
            _log.LogInformation("mongod simulator for pod {Namespace}/{Pod} listening on {EndPoint}",
                pod.Metadata.NamespaceProperty, pod.Metadata.Name, host.EndPoint);
            return null;
        }
        catch (Exception e) when (e is MongodConfigException or PodVolumeException or IOException or UnauthorizedAccessException
            or FormatException)
        {
            // Messages name options, paths and keys, never file contents.
            _log.LogInformation("mongod for pod {Namespace}/{Pod} refused to start: {Reason}", pod.Metadata.NamespaceProperty,
                pod.Metadata.Name, e.Message);
            TryDelete(podDir);
            return new PodStartFailure(e is PodVolumeException { IsMount: true }, e.Message, e is MongodConfigException config ? config.ExitCode : 1);
        }
    }

    /// <summary>Hangs (or un-hangs) the pod's mongod: its port keeps accepting, but nothing is answered.</summary>
    public Task SetHungAsync(V1Pod pod, bool hung, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        if (_running.TryGetValue(Uid(pod), out var running))
        {
            running.Port.Hung = hung;
            if (hung)
            {
                running.Host.Faults.Hang(); // no heartbeats either: its peers mark it down
            }
            else
            {
                running.Host.Faults.Resume();
            }
            _log.LogInformation("mongod for pod {Namespace}/{Pod} {State}", pod.Metadata.NamespaceProperty, pod.Metadata.Name,
                hung ? "hangs (stops answering)" : "answers again");
        }
        return Task.CompletedTask;
    }

    /// <summary>True when the pod's mongod runs and is not hung (what an exec probe such as a ping would see).</summary>
    public bool Answers(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return !pod.Spec.Containers.Any(c => MongodImage.IsMongod(c.Image))
            || (_running.TryGetValue(Uid(pod), out var running) && !running.Port.Hung && !running.Host.Exited.IsCompleted);
    }

    /// <summary>The exit code of a pod's mongod that was killed (<see cref="MemberFault.Kill"/>), until it is started again.</summary>
    public int? ExitCodeOf(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return _killed.TryGetValue(Uid(pod), out var code) ? code : null;
    }

    /// <summary>
    /// Injects <paramref name="fault"/> into the running mongod of pod <paramref name="ns"/>/<paramref name="name"/>.
    /// Returns null when done, else why not (no such running pod, an unknown peer). <paramref name="peers"/> names
    /// pods of the same namespace (partition); <paramref name="delay"/> is the slow disk's apply delay.
    /// </summary>
    public async Task<string?> InjectAsync(string ns, string name, MemberFault fault, IReadOnlyList<string> peers, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(peers);
        if (Find(ns, name) is not { } target)
        {
            return $"no running mongod in pod {ns}/{name}";
        }
        var (uid, running) = target;
        switch (fault)
        {
            case MemberFault.Kill:
                await KillAsync(uid, running, loseVolume: false);
                break;
            case MemberFault.LoseVolume:
                await KillAsync(uid, running, loseVolume: true);
                break;
            case MemberFault.Hang or MemberFault.Resume:
                await SetHungAsync(running.Pod, fault == MemberFault.Hang, CancellationToken.None);
                break;
            case MemberFault.Partition:
                var others = peers.Select(p => (Name: p, Found: Find(ns, p))).ToList();
                if (others.FirstOrDefault(o => o.Found is null).Name is { } missing)
                {
                    return $"no running mongod in pod {ns}/{missing}";
                }
                if (others.Count == 0)
                {
                    return "partition needs the peers to cut off (\"peers\": [pod names])";
                }
                others.ForEach(o => running.Host.Faults.PartitionFrom(o.Found!.Value.Running.Host));
                break;
            case MemberFault.Heal:
                running.Host.Faults.Heal();
                break;
            case MemberFault.SlowDisk:
                running.Host.Faults.SlowDisk(delay);
                break;
        }
        _log.LogInformation("fault {Fault} injected into mongod of pod {Namespace}/{Pod}", fault, ns, name);
        return null;
    }

    // SIGKILL: exit code 137 (128 + 9), as the kubelet reports it in lastState.terminated; only what reached the
    // dbPath stays. A lost volume is emptied (the directory itself stays, as a fresh volume mounts empty).
    private async Task KillAsync(string uid, Running running, bool loseVolume)
    {
        await running.Host.KillAsync();
        if (loseVolume && running.Host.State.Config.DbPath is { } dbPath && Directory.Exists(dbPath))
        {
            foreach (var entry in new DirectoryInfo(dbPath).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo dir)
                {
                    dir.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }
        _killed[uid] = 137;
    }

    private (string Uid, Running Running)? Find(string ns, string name) =>
        _running.Where(r => r.Value.Pod.Metadata.NamespaceProperty == ns && r.Value.Pod.Metadata.Name == name)
            .Select(r => ((string, Running)?)(r.Key, r.Value)).FirstOrDefault();

    /// <summary>The pod's listening endpoint (podIP:27017) for a running pod, for tests and admin tools.</summary>
    public IPEndPoint? PodEndPointOf(string podUid) => _running.TryGetValue(podUid, out var r) ? r.Port.EndPoint : null;

    private static string Uid(V1Pod pod) => pod.Metadata.Uid ?? $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";

    public Task StopAsync(V1Pod pod, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pod);
        return StopAsync(pod.Metadata.Uid ?? $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sync;
        _stop.Dispose();
        foreach (var uid in _running.Keys.ToList())
        {
            await StopAsync(uid);
        }
        if (_options.RootDirectory is null)
        {
            TryDelete(_root); // our own temp root, claims included: the simulated cluster ends with the process
        }
    }

    private async Task<MongodSimulatorHost> LaunchAsync(V1Pod pod, V1Container container, string podIp, string podDir, CancellationToken ct)
    {
        var volumes = await Volumes(podDir).MaterialiseAsync(pod, ct);
        foreach (var init in pod.Spec.InitContainers ?? [])
        {
            var argv = (init.Command ?? []).Concat(init.Args ?? []).ToList();
            var initMounts = PodVolumes.MountMap(init, volumes);
            if (await InitContainerSteps.RunAsync(argv, initMounts, a => RunToExitAsync(pod, init, a, initMounts, podIp, ct)) is { } initError)
            {
                throw new PodVolumeException(initError); // a mongod step's refusal keeps mongod's words
            }
        }
        var mounts = PodVolumes.MountMap(container, volumes);
        var profile = MongodImage.Profile(container.Image);
        var config = LoadConfig((container.Command ?? []).Concat(container.Args ?? []).ToList(), mounts, profile);
        return await MongodSimulatorHost.StartAsync(Options(pod, podIp, config, profile, LdapClient(container, mounts)), ct);
    }

    private MongodSimulatorOptions Options(V1Pod pod, string podIp, MongodConfig config, SimulatorProfile profile, LdapClientConf? ldap) => new()
    {
        Config = config,
        Profile = profile,
        BindAddress = IPAddress.Parse(podIp),
        Port = 0, // an ephemeral port behind the pod's PodPort on podIP:Port, which can hang
        AdvertisedHosts = [$"{DnsName(pod)}:{_options.Port}"],
        Clock = _options.Clock,
        Network = _network,
        Kmip = _options.KmipServers.Count == 0 ? KmipMode.NotSimulated : KmipMode.Dial,
        KmipResolver = ResolveKmip,
        Ldap = _options.LdapServers.Count == 0 ? LdapMode.NotSimulated : LdapMode.Dial,
        LdapResolver = ResolveLdap,
        LdapClient = ldap,
    };

    private IPEndPoint? ResolveLdap(string host, int port) => _options.LdapServers.GetValueOrDefault(host);

    // libldap reads the ldap.conf the container's LDAPCONF names (else /etc/ldap/ldap.conf, which no image here
    // carries); its TLS_CACERT is a container path too, so both are mapped to the pod's mounted files.
    private LdapClientConf? LdapClient(V1Container container, IReadOnlyList<KeyValuePair<string, string>> mounts)
    {
        if (_options.LdapServers.Count == 0
            || container.Env?.FirstOrDefault(e => e.Name == "LDAPCONF")?.Value is not { Length: > 0 } path
            || ContainerPaths.Local(path, mounts) is not { } local)
        {
            return null;
        }
        var conf = LdapClientConf.Load(local);
        return conf.CaCertFile is { } ca ? conf with { CaCertFile = ContainerPaths.Local(ca, mounts) ?? ca } : conf;
    }

    // A mongod step of an init container (e.g. a start with --kmipRotateMasterKey): it must exit, and with code 0.
    private async Task<string?> RunToExitAsync(V1Pod pod, V1Container init, IReadOnlyList<string> argv,
        IReadOnlyList<KeyValuePair<string, string>> mounts, string podIp, CancellationToken ct)
    {
        if (!MongodImage.IsMongod(init.Image))
        {
            return $"mongod: not found in image {init.Image}";
        }
        var profile = MongodImage.Profile(init.Image);
        try
        {
            var host = await MongodSimulatorHost.StartAsync(Options(pod, podIp, LoadConfig(argv, mounts, profile), profile, LdapClient(init, mounts)), ct);
            await host.DisposeAsync();
            return "mongod kept running (an init container's mongod must exit)";
        }
        catch (MongodConfigException e) when (e.ExitCode == 0)
        {
            return null;
        }
        catch (MongodConfigException e)
        {
            return $"mongod exited with code {e.ExitCode}: {e.Message}";
        }
    }

    // A name the cluster does not know does not resolve (null), as in a cluster's DNS.
    private IPEndPoint? ResolveKmip(string host, int port) => _options.KmipServers.GetValueOrDefault(host);

    // mongod reads the file named by --config inside the container; without one it runs on defaults.
    private static MongodConfig LoadConfig(IReadOnlyList<string> argv, IReadOnlyList<KeyValuePair<string, string>> mounts, SimulatorProfile profile)
    {
        var path = ContainerPaths.ConfigArgument(argv);
        if (path is null)
        {
            return MongodConfig.Parse("", profile, null, argv);
        }
        var local = ContainerPaths.Local(path, mounts);
        if (local is null || !File.Exists(local))
        {
            throw new MongodConfigException($"Error reading config file: No such file or directory ({path})");
        }
        // The simulator opens host paths, but reports the file as mongod inside the container reads it; an __exec
        // command names container paths too, so it runs with them mapped, as the container would run it.
        MongodConfig.CheckFileMode(local, ConfigExpand.FromArgv(argv));
        var text = File.ReadAllText(local);
        var onHost = MongodConfig.Parse(MongodConfRewriter.MapPaths(text, mounts), profile, path, argv);
        ExecRunner inContainer = (command, timeout) => ShellExec.Run(MongodConfRewriter.MapPaths(command, mounts), timeout);
        return onHost.ReportingAs(MongodConfig.Parse(text, profile, path, argv, inContainer));
    }

    /// <summary>The pod's DNS name: hostname.subdomain.namespace.svc.cluster.local when it has both, else its name.</summary>
    public static string DnsName(V1Pod pod)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var ns = pod.Metadata.NamespaceProperty ?? "default";
        var host = pod.Spec.Hostname ?? pod.Metadata.Name;
        return string.IsNullOrEmpty(pod.Spec.Subdomain) ? host : $"{host}.{pod.Spec.Subdomain}.{ns}.svc.cluster.local";
    }

    private async Task StopAsync(string uid)
    {
        if (_running.TryRemove(uid, out var r))
        {
            await r.Port.DisposeAsync();
            await r.Host.DisposeAsync();
            TryDelete(r.Directory);
        }
    }

    // Best effort: the pod's Secret files are removed with it; a claim directory stays like a PersistentVolume.
    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // left for the temp directory's owner; nothing else depends on it
        }
    }

    private sealed record Running(MongodSimulatorHost Host, PodPort Port, string Directory, V1Pod Pod);
}
