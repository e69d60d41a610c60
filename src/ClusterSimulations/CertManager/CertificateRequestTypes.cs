using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// cert-manager.io/v1 CertificateRequest (cert-manager pkg/apis/certmanager/v1/types_certificaterequest.go): a
/// one-shot request to sign a PEM CSR. Its spec is immutable after creation
/// (internal/apis/certmanager/validation/certificaterequest.go, ValidateUpdateCertificateRequest).
/// </summary>
[KubernetesEntity(Group = CertManagerApi.Group, ApiVersion = CertManagerApi.Version, Kind = "CertificateRequest", PluralName = "certificaterequests")]
public sealed class CertificateRequestResource : IKubernetesObject<V1ObjectMeta>, ISpec<CertificateRequestSpec>, IStatus<CertificateRequestStatus?>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = CertManagerApi.ApiVersion;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "CertificateRequest";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public CertificateRequestSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public CertificateRequestStatus? Status { get; set; }
}

/// <summary>CertificateRequest.spec: the CSR (PEM bytes, base64 on the wire: `format: byte`), issuer and wishes.</summary>
public sealed class CertificateRequestSpec
{
    [JsonPropertyName("request")] public byte[] Request { get; set; } = [];
    [JsonPropertyName("issuerRef")] public IssuerReference IssuerRef { get; set; } = new();
    [JsonPropertyName("usages")] public List<string>? Usages { get; set; }
    /// <summary>Go duration; cert-manager's default is 90 days (apiutil.DefaultCertDuration).</summary>
    [JsonPropertyName("duration")] public string? Duration { get; set; }
    [JsonPropertyName("isCA")] public bool? IsCA { get; set; }
    /// <summary>Set by cert-manager's webhook from the requester's identity; not simulated.</summary>
    [JsonPropertyName("username")] public string? Username { get; set; }
}

/// <summary>CertificateRequest.status: the signed chain, the CA, conditions and failureTime.</summary>
public sealed class CertificateRequestStatus
{
    [JsonPropertyName("conditions")] public List<CertificateRequestCondition>? Conditions { get; set; }
    /// <summary>PEM chain: the leaf first, then intermediates (cert-manager's bundle.ChainPEM).</summary>
    [JsonPropertyName("certificate")] public byte[]? Certificate { get; set; }
    /// <summary>PEM of the top-most CA (bundle.CAPEM).</summary>
    [JsonPropertyName("ca")] public byte[]? CA { get; set; }
    [JsonPropertyName("failureTime")] public DateTime? FailureTime { get; set; }
}

/// <summary>A CertificateRequest condition (no observedGeneration, unlike metav1.Condition).</summary>
public sealed class CertificateRequestCondition
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("status")] public string Status { get; set; } = "";
    [JsonPropertyName("reason")] public string? Reason { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
    [JsonPropertyName("lastTransitionTime")] public DateTime? LastTransitionTime { get; set; }
}

/// <summary>Condition types and reasons of pkg/apis/certmanager/v1/types_certificaterequest.go.</summary>
public static class CertificateRequestConditions
{
    public const string Ready = "Ready";
    public const string Approved = "Approved";
    public const string Denied = "Denied";
    public const string InvalidRequest = "InvalidRequest";

    public const string ReasonPending = "Pending";
    public const string ReasonFailed = "Failed";
    public const string ReasonIssued = "Issued";
    public const string ReasonDenied = "Denied";

    /// <summary>The condition of <paramref name="type"/>, or null.</summary>
    public static CertificateRequestCondition? Find(CertificateRequestResource cr, string type) =>
        cr.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>True when the condition of <paramref name="type"/> is present with status True.</summary>
    public static bool IsTrue(CertificateRequestResource cr, string type) => Find(cr, type)?.Status == "True";

    /// <summary>The Ready condition's reason (apiutil.CertificateRequestReadyReason), or null.</summary>
    public static string? ReadyReason(CertificateRequestResource cr) => Find(cr, Ready)?.Reason;

    /// <summary>
    /// Sets a condition as apiutil.SetCertificateRequestCondition does: lastTransitionTime moves only when the
    /// status changes.
    /// </summary>
    public static void Set(CertificateRequestResource cr, string type, string status, string reason, string message, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(cr);
        cr.Status ??= new CertificateRequestStatus();
        cr.Status.Conditions ??= [];
        var existing = cr.Status.Conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            cr.Status.Conditions.Add(new CertificateRequestCondition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                LastTransitionTime = now,
            });
            return;
        }
        if (existing.Status != status)
        {
            existing.LastTransitionTime = now;
        }
        existing.Status = status;
        existing.Reason = reason;
        existing.Message = message;
    }
}
