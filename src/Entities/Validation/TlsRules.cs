namespace HipaaMongo.Entities.Validation;

internal static class TlsRules
{
    private static readonly TimeSpan MinDuration = TimeSpan.FromHours(24);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromHours(8760);
    private static readonly TimeSpan MinRenewBefore = TimeSpan.FromHours(1);

    public static void Check(TlsSpec? tls, ErrorList errors)
    {
        if (tls is null) return;
        if (tls.IssuerRef is not null) IssuerRules.Check(tls.IssuerRef, "spec.tls.issuerRef", errors);
        var duration = Parse(tls.Duration, "spec.tls.duration", "duration", errors);
        var renewBefore = Parse(tls.RenewBefore, "spec.tls.renewBefore", "renewBefore", errors);
        if (duration is { } d)
            errors.Check(d >= MinDuration && d <= MaxDuration, "spec.tls.duration", "duration must be between 24h and 8760h");
        if (renewBefore is { } r)
            errors.Check(r >= MinRenewBefore, "spec.tls.renewBefore", "renewBefore must be at least 1h");
        if (duration is { } dd && renewBefore is { } rr)
            errors.Check(rr < dd, "spec.tls.renewBefore", "renewBefore must be shorter than duration");
    }

    private static TimeSpan? Parse(string? text, string path, string name, ErrorList errors)
    {
        // The CRD's pattern admits unsigned durations only; a signed one ("-1h", "+2h") is refused here too.
        if (ApiMachinery.Time.GoDuration.TryParseUnsigned(text, out var value)) return value;
        errors.Add(path, $"{name} must be a Go duration such as 2160h or 90m");
        return null;
    }
}

internal static class IssuerRules
{
    public static void Check(IssuerReference issuer, string path, ErrorList errors)
    {
        errors.Check(Names.IsDnsSubdomain(issuer.Name), path + ".name",
            "issuer name is required and must be a DNS subdomain name");
        errors.Check(Enum.IsDefined(issuer.Kind), path + ".kind", "issuer kind must be Issuer or ClusterIssuer");
        errors.Check(Names.IsDnsSubdomain(issuer.Group), path + ".group", "issuer group must be an API group such as cert-manager.io");
    }
}

internal static class SecretRefRules
{
    public static void Check(SecretKeyReference? reference, string path, ErrorList errors)
    {
        if (!errors.Check(reference is not null, path, "a Secret reference (name and key) is required")) return;
        errors.Check(Names.IsDnsSubdomain(reference!.Name), path + ".name",
            "Secret name is required and must be a DNS subdomain name");
        errors.Check(!string.IsNullOrEmpty(reference.Key) && reference.Key.Length <= 253
                     && reference.Key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'),
            path + ".key", "Secret key is required and may contain only letters, digits, '-', '_' and '.'");
    }
}
