namespace HipaaMongo.Operator.Compliance.Checks;

/// <summary>Transmission security: TLS mode, protocols, certificate validation and expiry (164.312(e)).</summary>
internal static class TransportChecks
{
    public static Finding TlsModeIsNotRequireTls(Observation o) =>
        MemberCheck.Over(o, (p, at) => Compare.Equal("tlsMode", p.TlsMode, o.Desired.Value("net.tls.mode"), at));

    public static Finding LegacyTlsProtocolsAreEnabled(Observation o) =>
        MemberCheck.Over(o, (p, at) => DisabledProtocols(p.DisabledProtocols, o.Desired.Value("net.tls.disabledProtocols") as string, at));

    public static Finding InvalidCertificatesAreAccepted(Observation o) =>
        MemberCheck.Over(o, (p, at) =>
        {
            var certs = Compare.Equal("allowInvalidCertificates", p.AllowInvalidCertificates, o.Desired.Value("net.tls.allowInvalidCertificates"), at);
            var hosts = Compare.Equal("allowInvalidHostnames", p.AllowInvalidHostnames, o.Desired.Value("net.tls.allowInvalidHostnames"), at);
            return certs.Outcome != Outcome.Pass ? certs : hosts.Outcome != Outcome.Pass ? hosts
                : Finding.Pass("invalid certificates and host names are rejected", at);
        });

    // Two observations: what cert-manager issued (status.notAfter) and what each member serves
    // (serverStatus.security.SSLServerCertificateExpirationDate); the certificate in use is the served one.
    public static Finding CertificateIsExpired(Observation o)
    {
        var issued = IssuedCertificates(o);
        var served = MemberCheck.Over(o, (p, at) => p.ServedCertificateNotAfter switch
        {
            null => Finding.Unknown("the served certificate's expiry was not read", at),
            var n when n <= o.Now => Finding.Fail($"serves a certificate that expired at {Evidence.Time(n.Value)}", at),
            _ => Finding.Pass("the certificate it serves has not expired", at),
        });
        var both = new[] { issued, served };
        var outcome = both.Any(f => f.Outcome == Outcome.Fail) ? Outcome.Fail
            : both.Any(f => f.Outcome == Outcome.Unknown) ? Outcome.Unknown
            : Outcome.Pass;
        var evidence = both.Where(f => f.Outcome == outcome).Select(f => f.Evidence);
        return new Finding(outcome, string.Join("; ", evidence), both.Select(f => f.ObservedAt).Min());
    }

    // A Certificate patched with isCA: true or an extra address makes cert-manager issue exactly that, from our CA.
    public static Finding CertificateDiffersFromRendered(Observation o)
    {
        if (o.Certificates.Count == 0)
        {
            return Finding.Unknown("no certificate was read");
        }

        var observedAt = o.Certificates.Min(c => c.ObservedAt);
        var differing = o.Certificates.Where(c => c.Differences is { Count: > 0 } && o.IsFresh(c.ObservedAt)).ToList();
        if (differing.Count > 0)
        {
            return Finding.Fail(Evidence.List(differing.SelectMany(c => c.Differences!.Select(d => $"certificate {c.Name}: {d}"))), observedAt);
        }

        var unknown = o.Certificates.Where(c => c.Differences is null || !o.IsFresh(c.ObservedAt)).ToList();
        return unknown.Count > 0
            ? Finding.Unknown(Evidence.List(unknown.Select(c => $"certificate {c.Name} was not compared with the render")), observedAt)
            : Finding.Pass($"all {o.Certificates.Count} certificates equal the render as the API server stores it", observedAt);
    }

    private static Finding IssuedCertificates(Observation o)
    {
        if (o.Certificates.Count == 0)
        {
            return Finding.Unknown("no certificate was read");
        }

        var observedAt = o.Certificates.Min(c => c.ObservedAt);
        // A stale read proves nothing either way: the certificate may have been renewed since.
        var expired = o.Certificates.Where(c => c.NotAfter is { } n && n <= o.Now && o.IsFresh(c.ObservedAt)).ToList();
        if (expired.Count > 0)
        {
            return Finding.Fail(Evidence.List(expired.Select(c => $"certificate {c.Name} expired at {Evidence.Time(c.NotAfter!.Value)}")), observedAt);
        }

        var unknown = o.Certificates.Where(c => c.NotAfter is null || !o.IsFresh(c.ObservedAt)).ToList();
        if (unknown.Count > 0)
        {
            return Finding.Unknown(Evidence.List(unknown.Select(c => $"certificate {c.Name} has no fresh expiry read")), observedAt);
        }

        var earliest = o.Certificates.MinBy(c => c.NotAfter)!;
        return Finding.Pass($"all {o.Certificates.Count} issued certificates are valid; the earliest ({earliest.Name}) expires at {Evidence.Time(earliest.NotAfter!.Value)}", observedAt);
    }

    // The live list may disable more than the baseline (e.g. TLS1_2 on a TLS 1.3-only member), never fewer.
    private static Finding DisabledProtocols(string? live, string? desired, DateTimeOffset? at)
    {
        if (live is null)
        {
            return Finding.Unknown("disabledProtocols was not read", at);
        }

        if (string.IsNullOrEmpty(desired))
        {
            return Finding.Fail("the desired configuration does not disable any TLS protocol", at);
        }

        var disabled = Split(live);
        var enabled = Split(desired).Where(p => !disabled.Contains(p)).ToList();
        return enabled.Count == 0
            ? Finding.Pass($"{desired} are disabled", at)
            : Finding.Fail($"{Evidence.List(enabled)} still accepted (disabledProtocols is '{live}')", at);
    }

    private static HashSet<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
