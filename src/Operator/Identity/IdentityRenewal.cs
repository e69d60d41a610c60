namespace HipaaMongo.Operator.Identity;

/// <summary>
/// When an identity obtained from a CertificateRequest is renewed: at two thirds of its lifetime, as cert-manager
/// renews a Certificate without renewBefore (its default renewBefore is a third of the duration,
/// pkg/util/pki/renewaltime.go RenewalTime). Pure.
/// </summary>
public static class IdentityRenewal
{
    public static DateTimeOffset DueAt(DateTimeOffset notBefore, DateTimeOffset notAfter) =>
        notBefore + ((notAfter - notBefore) * 2 / 3);

    public static bool Due(DateTimeOffset notBefore, DateTimeOffset notAfter, DateTimeOffset now) => now >= DueAt(notBefore, notAfter);
}
