using HipaaMongo.ClusterSimulations.Clock;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Informers;
using HipaaMongo.ControllerRuntime.Queue;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// cert-manager, simulated as ordinary controllers against any Kubernetes API: Certificates, Issuers and
/// ClusterIssuers (selfSigned and ca), watching Secrets so a deleted or edited Secret is re-issued, and the
/// <see cref="SimulationClock"/> so moving it past a renewalTime renews at once.
/// </summary>
public sealed class CertManagerSimulation : IDisposable
{
    private readonly SimulationRunner _runner;
    private readonly Informer<Certificate> _certificates;
    private readonly Informer<Issuer> _issuers;
    private readonly Informer<ClusterIssuer> _clusterIssuers;
    private readonly CertManagerOptions _options;
    private readonly WorkQueue<ObjectKey> _certQueue;
    private readonly WorkQueue<ObjectKey> _issuerQueue;
    private readonly WorkQueue<ObjectKey> _clusterQueue;

    /// <summary>Wires the simulation; nothing runs until <see cref="RunAsync"/>.</summary>
    public CertManagerSimulation(IKubernetes client, TimeProvider clock, ILoggerFactory loggers, CertManagerOptions? options = null,
        ControllerMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options ?? new CertManagerOptions();
        var store = new KubernetesCertManagerStore(client);
        _runner = new SimulationRunner(client, loggers.CreateLogger<CertManagerSimulation>(),
            metrics ?? new ControllerMetrics(Prometheus.Metrics.NewCustomRegistry()));

        _certificates = _runner.Informer<Certificate>();
        _issuers = _runner.Informer<Issuer>();
        _clusterIssuers = _runner.Informer<ClusterIssuer>();
        var secrets = _runner.Informer<V1Secret>();

        _certQueue = _runner.Controller("cert-manager-certificates", _certificates,
            new CertificateReconciler(store, clock, _options, loggers.CreateLogger<CertificateReconciler>()));
        _issuerQueue = _runner.Controller("cert-manager-issuers", _issuers, new IssuerReconciler<Issuer>(store, clock, _options));
        _clusterQueue = _runner.Controller("cert-manager-clusterissuers", _clusterIssuers,
            new IssuerReconciler<ClusterIssuer>(store, clock, _options));

        _issuers.AddHandler(SimulationRunner.On<Issuer>(i => EnqueueCertificatesOf("Issuer", i.Metadata.NamespaceProperty, i.Metadata.Name)));
        _clusterIssuers.AddHandler(SimulationRunner.On<ClusterIssuer>(i => EnqueueCertificatesOf("ClusterIssuer", null, i.Metadata.Name)));
        secrets.AddHandler(SimulationRunner.On<V1Secret>(SecretChanged));
        AddCertificateRequests(client, clock, store);
        if (clock is SimulationClock simulated)
        {
            simulated.Moved += (_, _) => EnqueueAllCertificates();
        }
    }

    // CertificateRequests: cert-manager's approver (unless turned off) and the CA issuer's signer, each its own
    // controller as in cert-manager; an issuer becoming Ready wakes the requests waiting for it.
    private void AddCertificateRequests(IKubernetes client, TimeProvider clock, ICertManagerStore store)
    {
        var requests = new CertificateRequestStore(client, clock);
        var informer = _runner.Informer<CertificateRequestResource>();
        if (_options.ApproveRequests)
        {
            _runner.Controller("cert-manager-certificaterequests-approver", informer, new CertificateRequestApprover(requests, clock));
        }
        var queue = _runner.Controller("cert-manager-certificaterequests-issuer-ca", informer,
            new CertificateRequestSigner(requests, store, clock, _options));
        void Wake(string? ns)
        {
            foreach (var cr in informer.Cache.List(ns).Where(c => CertificateRequestConditions.ReadyReason(c) == CertificateRequestConditions.ReasonPending))
            {
                queue.Add(ObjectKey.From(cr));
            }
        }
        _issuers.AddHandler(SimulationRunner.On<Issuer>(i => Wake(i.Metadata.NamespaceProperty)));
        _clusterIssuers.AddHandler(SimulationRunner.On<ClusterIssuer>(_ => Wake(null)));
    }

    /// <summary>The Certificates the simulation sees (for tests and diagnostics).</summary>
    public ObjectCache<Certificate> Certificates => _certificates.Cache;

    /// <summary>Runs informers, waits for their first sync, then the controllers, until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _runner.RunAsync(cancellationToken);

    public void Dispose() => _runner.Dispose();

    private void EnqueueCertificatesOf(string kind, string? ns, string name)
    {
        foreach (var c in _certificates.Cache.List(ns))
        {
            if ((c.Spec.IssuerRef.Kind ?? "Issuer") == kind && c.Spec.IssuerRef.Name == name)
            {
                _certQueue.Add(ObjectKey.From(c));
            }
        }
    }

    private void EnqueueAllCertificates()
    {
        foreach (var key in _certificates.Cache.Keys())
        {
            _certQueue.Add(key);
        }
    }

    // A Secret change wakes the Certificate that writes it and the issuers that sign with it.
    private void SecretChanged(V1Secret secret)
    {
        var ns = secret.Metadata.NamespaceProperty;
        var name = secret.Metadata.Name;
        foreach (var c in _certificates.Cache.List(ns).Where(c => c.Spec.SecretName == name))
        {
            _certQueue.Add(ObjectKey.From(c));
        }
        foreach (var i in _issuers.Cache.List(ns).Where(i => i.Spec.CA?.SecretName == name))
        {
            _issuerQueue.Add(ObjectKey.From(i));
        }
        if (ns == _options.ClusterResourceNamespace)
        {
            foreach (var i in _clusterIssuers.Cache.List().Where(i => i.Spec.CA?.SecretName == name))
            {
                _clusterQueue.Add(ObjectKey.From(i));
            }
        }
    }
}
