using HipaaMongo.ControllerRuntime.Meta;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>
/// Pure status transitions of a Certificate, with cert-manager's condition types, reasons and messages.
/// Each returns a new status; conditions carry the Certificate's generation as observedGeneration.
/// </summary>
public static class CertificateStatuses
{
    public const string Ready = "Ready";
    public const string Issuing = "Issuing";
    public const string UpToDateMessage = "Certificate is up to date and has not expired";

    /// <summary>After a successful issuance: Ready=True, Issuing removed, times set, revision incremented.</summary>
    public static CertificateStatus Issued(Certificate certificate, IssuedCertificate issued, DateTime now)
    {
        var status = Copy(certificate);
        status.Revision = (status.Revision ?? 0) + 1;
        status.LastFailureTime = null;
        return UpToDate(certificate, status, issued.NotBefore, issued.NotAfter, issued.RenewalTime, now);
    }

    /// <summary>The Secret is current: Ready=True with the times read from its certificate.</summary>
    public static CertificateStatus Current(Certificate certificate, DateTimeOffset notBefore, DateTimeOffset notAfter,
        DateTimeOffset renewalTime, DateTime now) => UpToDate(certificate, Copy(certificate), notBefore, notAfter, renewalTime, now);

    /// <summary>Issuance is needed but waits (e.g. for the issuer): Issuing=True and Ready=False with the trigger.</summary>
    public static CertificateStatus Waiting(Certificate certificate, IssuanceTrigger trigger, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var status = Copy(certificate);
        var gen = certificate.Metadata.Generation;
        Conditions.Set(status.Conditions!, Issuing, Conditions.True, trigger.Reason, trigger.Message, gen, now);
        Conditions.Set(status.Conditions!, Ready, Conditions.False, trigger.Reason, trigger.Message, gen, now);
        return status;
    }

    /// <summary>Issuance failed: Issuing=False/Failed, Ready=False, lastFailureTime.</summary>
    public static CertificateStatus Failed(Certificate certificate, IssuanceTrigger trigger, string error, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        var status = Copy(certificate);
        var gen = certificate.Metadata.Generation;
        Conditions.Set(status.Conditions!, Issuing, Conditions.False, "Failed",
            $"The certificate request has failed to complete and will be retried: {error}", gen, now);
        Conditions.Set(status.Conditions!, Ready, Conditions.False, trigger.Reason, trigger.Message, gen, now);
        status.LastFailureTime = now;
        return status;
    }

    private static CertificateStatus UpToDate(Certificate certificate, CertificateStatus status, DateTimeOffset notBefore,
        DateTimeOffset notAfter, DateTimeOffset renewalTime, DateTime now)
    {
        Conditions.Remove(status.Conditions!, Issuing);
        Conditions.Set(status.Conditions!, Ready, Conditions.True, Ready, UpToDateMessage, certificate.Metadata.Generation, now);
        status.NotBefore = notBefore.UtcDateTime;
        status.NotAfter = notAfter.UtcDateTime;
        status.RenewalTime = renewalTime.UtcDateTime;
        return status;
    }

    // A deep-enough copy: the cache's object is never mutated.
    private static CertificateStatus Copy(Certificate certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var old = certificate.Status;
        return new CertificateStatus
        {
            Conditions = Conditions.Copy(old?.Conditions),
            NotBefore = old?.NotBefore,
            NotAfter = old?.NotAfter,
            RenewalTime = old?.RenewalTime,
            Revision = old?.Revision,
            LastFailureTime = old?.LastFailureTime,
        };
    }
}
