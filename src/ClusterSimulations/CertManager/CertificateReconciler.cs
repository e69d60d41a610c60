using System.Text.Json;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// The cert-manager Certificate controller, simulated: issues when the Secret is missing, invalid, mismatched,
/// or past renewalTime on the (virtual) clock, or when someone set Issuing=True (cmctl renew); writes the Secret, then
/// status. Decisions are the pure
/// <see cref="IssuancePolicy"/>, <see cref="IssuerReadiness"/>, <see cref="CertificateIssuance"/> and
/// <see cref="CertificateStatuses"/>; this class only reads and writes.
/// </summary>
public sealed class CertificateReconciler(ICertManagerStore store, TimeProvider clock, CertManagerOptions options,
    ILogger<CertificateReconciler> logger) : IReconciler<Certificate>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var cert = await store.GetCertificateAsync(key.Namespace ?? "", key.Name, cancellationToken);
        if (cert is null || (cert.Spec.IssuerRef.Group ?? CertManagerApi.Group) != CertManagerApi.Group)
        {
            return ReconcileResult.Done; // gone, or an external issuer's business
        }
        var ns = cert.Metadata.NamespaceProperty;
        var secret = string.IsNullOrEmpty(cert.Spec.SecretName) ? null
            : await store.GetSecretAsync(ns, cert.Spec.SecretName, cancellationToken);
        var now = clock.GetUtcNow();
        var data = secret?.Data is null ? null : new Dictionary<string, byte[]>(secret.Data);
        var annotations = secret?.Metadata.Annotations is null ? null : new Dictionary<string, string>(secret.Metadata.Annotations);
        var trigger = (secret is null ? IssuancePolicy.Evaluate(cert, null, null, now) : IssuancePolicy.Evaluate(cert, data ?? [], annotations, now))
            ?? IssuancePolicy.Requested(cert);
        if (trigger is null)
        {
            return await ReportCurrentAsync(cert, data!, now, cancellationToken);
        }
        var issuer = await ResolveIssuerAsync(cert, cancellationToken);
        if (issuer.Credentials is null)
        {
            await WriteStatusAsync(cert, CertificateStatuses.Waiting(cert, trigger, now.UtcDateTime), cancellationToken);
            return ReconcileResult.RequeueAfter(options.IssuerWaitRetry);
        }
        IssuedCertificate issued;
        try
        {
            issued = CertificateIssuance.Issue(new IssuanceRequest(cert.Metadata.Name, cert.Spec, issuer.Credentials, data, now));
        }
        catch (CertificateIssuanceException e)
        {
            logger.LogWarning("Certificate {Certificate} cannot be issued: {Reason}", key, e.Message);
            await WriteStatusAsync(cert, CertificateStatuses.Failed(cert, trigger, e.Message, now.UtcDateTime), cancellationToken);
            return ReconcileResult.Done; // a spec or issuer change wakes it again
        }
        await store.WriteSecretAsync(SecretFor(cert, secret, issued), cancellationToken);
        logger.LogInformation("Issued certificate {Certificate} ({Reason}), serial {Serial}", key, trigger.Reason, issued.SerialNumber);
        await WriteStatusAsync(cert, CertificateStatuses.Issued(cert, issued, now.UtcDateTime), cancellationToken);
        return Until(issued.RenewalTime, now);
    }

    private async Task<ReconcileResult> ReportCurrentAsync(Certificate cert, Dictionary<string, byte[]> data, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        using var leaf = IssuancePolicy.TryParseLeaf(data[CertManagerApi.TlsCrt])!;
        var renewal = IssuancePolicy.RenewalTime(cert.Spec, leaf);
        var status = CertificateStatuses.Current(cert, new DateTimeOffset(leaf.NotBefore.ToUniversalTime()),
            new DateTimeOffset(leaf.NotAfter.ToUniversalTime()), renewal, now.UtcDateTime);
        await WriteStatusAsync(cert, status, cancellationToken);
        return Until(renewal, now);
    }

    // Renewal is also driven by SimulationClock.Moved; this covers a real clock. Capped because timers
    // cannot wait longer than ~49 days, and a periodic look is cheap.
    private static ReconcileResult Until(DateTimeOffset renewal, DateTimeOffset now) =>
        ReconcileResult.RequeueAfter(TimeSpan.FromTicks(Math.Clamp((renewal - now).Ticks, TimeSpan.TicksPerSecond, TimeSpan.TicksPerHour * 12)));

    private async Task<IssuerState> ResolveIssuerAsync(Certificate cert, CancellationToken cancellationToken)
    {
        var kind = cert.Spec.IssuerRef.Kind ?? "Issuer";
        var issuer = await store.GetIssuerAsync(kind, cert.Metadata.NamespaceProperty, cert.Spec.IssuerRef.Name, cancellationToken);
        if (issuer is null)
        {
            return new IssuerState(false, "IssuerNotFound", $"{kind} {cert.Spec.IssuerRef.Name} not found", null);
        }
        return await IssuerStatusWriter.EvaluateAsync(store, issuer, options, cancellationToken);
    }

    private static V1Secret SecretFor(Certificate cert, V1Secret? existing, IssuedCertificate issued)
    {
        var secret = existing ?? new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = cert.Spec.SecretName, NamespaceProperty = cert.Metadata.NamespaceProperty },
            Type = "kubernetes.io/tls",
        };
        secret.Data ??= new Dictionary<string, byte[]>();
        // Additional output formats no longer requested are removed, as cert-manager does.
        secret.Data.Remove(CertManagerApi.CombinedPem);
        secret.Data.Remove(CertManagerApi.KeyDer);
        foreach (var (k, v) in issued.Data)
        {
            secret.Data[k] = v;
        }
        secret.Metadata.Annotations ??= new Dictionary<string, string>();
        foreach (var (k, v) in issued.Annotations)
        {
            secret.Metadata.Annotations[k] = v;
        }
        secret.Metadata.Labels ??= new Dictionary<string, string>();
        foreach (var (k, v) in issued.Labels)
        {
            secret.Metadata.Labels[k] = v;
        }
        return secret;
    }

    private async Task WriteStatusAsync(Certificate cert, CertificateStatus status, CancellationToken cancellationToken)
    {
        if (JsonSerializer.Serialize(status) == JsonSerializer.Serialize(cert.Status))
        {
            return; // nothing changed: no write, no watch event, no loop
        }
        cert.Status = status;
        await store.UpdateCertificateStatusAsync(cert, cancellationToken);
    }
}
