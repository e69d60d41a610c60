using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// cert-manager's internal approver (pkg/controller/certificaterequests/approver/sync.go): every CertificateRequest
/// that is not already Approved, Denied, Issued or Failed gets Approved=True, reason "cert-manager.io", and a Normal
/// Event with the same reason and message. A cluster that disables it (cert-manager's
/// --controllers=-certificaterequests-approver, here <see cref="CertManagerOptions.ApproveRequests"/> false) leaves
/// approval to an external approver such as approver-policy.
/// </summary>
public sealed class CertificateRequestApprover(CertificateRequestStore store, TimeProvider clock) : IReconciler<CertificateRequestResource>
{
    /// <summary>approver.ApprovedMessage.</summary>
    public const string ApprovedMessage = "Certificate request has been approved by cert-manager.io";
    public const string Reason = "cert-manager.io";

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var cr = await store.GetAsync(key.Namespace ?? "", key.Name, cancellationToken);
        if (cr is null || !NeedsApproval(cr))
        {
            return ReconcileResult.Done;
        }
        CertificateRequestConditions.Set(cr, CertificateRequestConditions.Approved, "True", Reason, ApprovedMessage, clock.GetUtcNow().UtcDateTime);
        await store.UpdateStatusAsync(cr, cancellationToken);
        await store.EventAsync(cr, "cert-manager-certificaterequests-approver", "Normal", Reason, ApprovedMessage, cancellationToken);
        return ReconcileResult.Done;
    }

    /// <summary>The early exits of approver.Sync, inverted.</summary>
    public static bool NeedsApproval(CertificateRequestResource cr)
    {
        ArgumentNullException.ThrowIfNull(cr);
        var ready = CertificateRequestConditions.ReadyReason(cr);
        return CertificateRequestConditions.Find(cr, CertificateRequestConditions.Approved) is null
            && CertificateRequestConditions.Find(cr, CertificateRequestConditions.Denied) is null
            && ready is not CertificateRequestConditions.ReasonFailed and not CertificateRequestConditions.ReasonIssued;
    }
}
