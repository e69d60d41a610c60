using System.Text.Json;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using static HipaaMongo.ClusterSimulations.CertManager.CertificateRequestConditions;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// cert-manager's CertificateRequest controller for CA issuers, simulated step by step as
/// pkg/controller/certificaterequests/sync.go runs it, with the reporter's conditions
/// (pkg/controller/certificaterequests/util/reporter.go) and the CA signer (…/ca/ca.go):
/// Denied → Ready False "Denied"; InvalidRequest → left alone; not Approved → Event WaitingForApproval, nothing
/// signed; already Issued or Failed → left alone; issuer missing or not Ready → Ready False "Pending"; a CSR that
/// cannot be signed → Ready False "Failed" (terminal); else status.certificate, status.ca and Ready True "Issued".
/// </summary>
public sealed class CertificateRequestSigner(CertificateRequestStore requests, ICertManagerStore store, TimeProvider clock,
    CertManagerOptions options) : IReconciler<CertificateRequestResource>
{
    public const string Component = "cert-manager-certificaterequests-issuer-ca";
    /// <summary>reporter.go readyMessage.</summary>
    public const string IssuedMessage = "Certificate fetched from issuer successfully";
    public const string DeniedMessage = "The CertificateRequest was denied by an approval controller";
    public const string WaitingMessage = "Not signing CertificateRequest until it is Approved";

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var cr = await requests.GetAsync(key.Namespace ?? "", key.Name, cancellationToken);
        if (cr is null || (cr.Spec.IssuerRef.Group is { Length: > 0 } g && g != CertManagerApi.Group))
        {
            return ReconcileResult.Done; // gone, or an external issuer's business
        }
        var before = JsonSerializer.Serialize(cr.Status);
        var retry = await DecideAsync(cr, cancellationToken);
        if (JsonSerializer.Serialize(cr.Status) != before)
        {
            await requests.UpdateStatusAsync(cr, cancellationToken);
        }
        return retry;
    }

    private async Task<ReconcileResult> DecideAsync(CertificateRequestResource cr, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (IsTrue(cr, Denied))
        {
            cr.Status!.FailureTime ??= now;
            Set(cr, Ready, "False", ReasonDenied, DeniedMessage, now);
            return ReconcileResult.Done;
        }
        if (IsTrue(cr, InvalidRequest))
        {
            return ReconcileResult.Done;
        }
        if (!IsTrue(cr, Approved))
        {
            await requests.EventAsync(cr, Component, "Normal", "WaitingForApproval", WaitingMessage, ct);
            return ReconcileResult.Done; // the approval is a status update, which wakes it
        }
        if (ReadyReason(cr) is ReasonFailed or ReasonIssued)
        {
            return ReconcileResult.Done;
        }
        var kind = cr.Spec.IssuerRef.Kind is { Length: > 0 } k ? k : "Issuer";
        var issuer = await store.GetIssuerAsync(kind, cr.Metadata.NamespaceProperty, cr.Spec.IssuerRef.Name, ct);
        if (issuer is null)
        {
            await PendingAsync(cr, "IssuerNotFound", $"Referenced \"{kind}\" not found: {kind} \"{cr.Spec.IssuerRef.Name}\" not found", ct);
            return ReconcileResult.RequeueAfter(options.IssuerWaitRetry);
        }
        if (issuer.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") != true)
        {
            await PendingAsync(cr, "IssuerNotReady", "Referenced issuer does not have a Ready status condition", ct);
            return ReconcileResult.RequeueAfter(options.IssuerWaitRetry);
        }
        var state = await IssuerStatusWriter.EvaluateAsync(store, issuer, options, ct);
        if (state.Credentials is null)
        {
            await PendingAsync(cr, "SecretInvalidData", $"Failed to parse signing CA keypair: {state.Message}", ct);
            return ReconcileResult.RequeueAfter(options.IssuerWaitRetry);
        }
        return await SignAsync(cr, state.Credentials, now, ct);
    }

    private async Task<ReconcileResult> SignAsync(CertificateRequestResource cr, IssuerCredentials issuer, DateTime now, CancellationToken ct)
    {
        SignedRequest signed;
        try
        {
            signed = CsrSigning.Sign(cr.Spec, issuer, now);
        }
        catch (CertificateIssuanceException e)
        {
            // reporter.Failed: terminal, failureTime set once, a Warning Event ("SigningError" in ca.go).
            var message = $"Error generating certificate template: {e.Message}";
            cr.Status ??= new CertificateRequestStatus();
            cr.Status.FailureTime ??= now;
            Set(cr, Ready, "False", ReasonFailed, message, now);
            await requests.EventAsync(cr, Component, "Warning", "SigningError", message, ct);
            return ReconcileResult.Done;
        }
        cr.Status ??= new CertificateRequestStatus();
        cr.Status.Certificate = signed.Certificate;
        cr.Status.CA = signed.CA;
        Set(cr, Ready, "True", ReasonIssued, IssuedMessage, now);
        await requests.EventAsync(cr, Component, "Normal", "CertificateIssued", IssuedMessage, ct);
        return ReconcileResult.Done;
    }

    // reporter.Pending: an Event only when the request was not already Pending.
    private async Task PendingAsync(CertificateRequestResource cr, string reason, string message, CancellationToken ct)
    {
        if (ReadyReason(cr) != ReasonPending)
        {
            await requests.EventAsync(cr, Component, "Normal", reason, message, ct);
        }
        Set(cr, Ready, "False", ReasonPending, message, clock.GetUtcNow().UtcDateTime);
    }
}
