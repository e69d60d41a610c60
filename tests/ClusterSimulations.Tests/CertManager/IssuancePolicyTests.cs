using System.Text;
using HipaaMongo.ClusterSimulations.CertManager;
using HipaaMongo.ClusterSimulations.Clock;

namespace HipaaMongo.ClusterSimulations.Tests.CertManager;

public sealed class IssuancePolicyTests
{
    private static IssuedCertificate Issue(CertificateSpec spec, IssuerCredentials issuer, DateTimeOffset now,
        IReadOnlyDictionary<string, byte[]>? existing = null) =>
        CertificateIssuance.Issue(new IssuanceRequest("rs0-member", spec, issuer, existing, now));

    private static Dictionary<string, string> Annotations(IssuedCertificate i) => i.Annotations;

    [Fact]
    public void Missing_secret_or_data_triggers_issuance_with_cert_manager_reasons()
    {
        var cert = Pki.Wrap(Pki.MemberSpec());
        Assert.Equal("DoesNotExist", IssuancePolicy.Evaluate(cert, null, null, Pki.Now)?.Reason);
        Assert.Equal("MissingData", IssuancePolicy.Evaluate(cert, new Dictionary<string, byte[]>(), null, Pki.Now)?.Reason);
        var garbage = new Dictionary<string, byte[]> { ["tls.key"] = "x"u8.ToArray(), ["tls.crt"] = "y"u8.ToArray() };
        Assert.Equal("InvalidKeyPair", IssuancePolicy.Evaluate(cert, garbage, null, Pki.Now)?.Reason);
    }

    [Fact]
    public void A_fresh_secret_is_current_until_the_clock_passes_renewalTime_then_renewal_gives_a_new_serial_and_key()
    {
        var clock = new SimulationClock(Pki.Now);
        var issuer = Pki.CaIssuer(Pki.IssueCa());
        var spec = Pki.MemberSpec(); // rotationPolicy Always
        var first = Issue(spec, issuer, clock.GetUtcNow());
        var cert = Pki.Wrap(spec);
        Assert.Null(IssuancePolicy.Evaluate(cert, first.Data, Annotations(first), clock.GetUtcNow()));

        clock.Advance(first.RenewalTime - clock.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Null(IssuancePolicy.Evaluate(cert, first.Data, Annotations(first), clock.GetUtcNow()));

        clock.Advance(TimeSpan.FromSeconds(1));
        var trigger = IssuancePolicy.Evaluate(cert, first.Data, Annotations(first), clock.GetUtcNow());
        Assert.Equal("Renewing", trigger?.Reason);

        var second = Issue(spec, issuer, clock.GetUtcNow(), first.Data);
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.NotEqual(first.Data["tls.key"], second.Data["tls.key"]);
        Assert.Equal(first.RenewalTime.AddDays(60), second.RenewalTime);
        Assert.Null(IssuancePolicy.Evaluate(cert, second.Data, Annotations(second), clock.GetUtcNow()));
    }

    [Fact]
    public void RotationPolicy_Never_keeps_the_stored_key_on_renewal()
    {
        var spec = Pki.MemberSpec();
        spec.PrivateKey!.RotationPolicy = "Never";
        var issuer = Pki.CaIssuer(Pki.IssueCa());
        var first = Issue(spec, issuer, Pki.Now);
        var second = Issue(spec, issuer, first.RenewalTime, first.Data);
        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
        Assert.Equal(Encoding.ASCII.GetString(first.Data["tls.key"]), Encoding.ASCII.GetString(second.Data["tls.key"]));
    }

    [Fact]
    public void Past_notAfter_the_reason_is_Expired()
    {
        var spec = Pki.MemberSpec();
        var issued = Issue(spec, IssuerCredentials.SelfSigned("s"), Pki.Now);
        spec.IssuerRef = new IssuerReference { Name = "s" };
        Assert.Equal("Expired", IssuancePolicy.Evaluate(Pki.Wrap(spec), issued.Data, Annotations(issued), issued.NotAfter)?.Reason);
    }

    [Theory]
    [InlineData("dnsNames", "spec.dnsNames")]
    [InlineData("ou", "spec.subject.organizationalUnits")]
    [InlineData("usages", "spec.usages")]
    [InlineData("duration", "spec.duration")]
    [InlineData("keySize", "spec.privateKey")]
    [InlineData("uris", "spec.uris")]
    public void A_spec_change_makes_the_secret_mismatch(string change, string field)
    {
        var spec = Pki.MemberSpec();
        var issued = Issue(spec, Pki.CaIssuer(Pki.IssueCa()), Pki.Now);
        switch (change)
        {
            case "dnsNames": spec.DnsNames!.Add("extra.example.org"); break;
            case "ou": spec.Subject!.OrganizationalUnits = ["other"]; break;
            case "usages": spec.Usages = ["digital signature", "server auth"]; break;
            case "duration": spec.Duration = "1000h"; spec.RenewBefore = null; break;
            case "keySize": spec.PrivateKey!.Size = 256; break;
            case "uris": spec.Uris = []; break;
        }
        var trigger = IssuancePolicy.Evaluate(Pki.Wrap(spec), issued.Data, Annotations(issued), Pki.Now);
        Assert.Equal("SecretMismatch", trigger?.Reason);
        Assert.Contains(field, trigger!.Message);
    }

    [Fact]
    public void A_different_issuerRef_is_IncorrectIssuer()
    {
        var spec = Pki.MemberSpec();
        var issued = Issue(spec, Pki.CaIssuer(Pki.IssueCa()), Pki.Now);
        spec.IssuerRef = new IssuerReference { Name = "other-ca", Kind = "ClusterIssuer" };
        Assert.Equal("IncorrectIssuer", IssuancePolicy.Evaluate(Pki.Wrap(spec), issued.Data, Annotations(issued), Pki.Now)?.Reason);
    }
}

public sealed class InvalidSpecTests
{
    [Theory]
    [InlineData("90d", null, "duration")]
    [InlineData("2160h", "3000h", "renewBefore")]
    [InlineData("2160h", "soon", "renewBefore")]
    public void Bad_durations_are_a_clear_issuance_error(string duration, string? renewBefore, string mentions)
    {
        var spec = Pki.MemberSpec();
        spec.Duration = duration;
        spec.RenewBefore = renewBefore;
        var e = Assert.Throws<CertificateIssuanceException>(() =>
            CertificateIssuance.Issue(new IssuanceRequest("c", spec, IssuerCredentials.SelfSigned("s"), null, Pki.Now)));
        Assert.Contains(mentions, e.Message);
    }

    [Fact]
    public void An_invalid_renewBefore_on_an_issued_certificate_is_a_mismatch_so_the_error_surfaces()
    {
        var spec = Pki.MemberSpec();
        var issued = CertificateIssuance.Issue(new IssuanceRequest("rs0-member", spec, Pki.CaIssuer(Pki.IssueCa()), null, Pki.Now));
        spec.RenewBefore = "bogus";
        Assert.Equal("SecretMismatch", IssuancePolicy.Evaluate(Pki.Wrap(spec), issued.Data, issued.Annotations, Pki.Now)?.Reason);
    }
}
