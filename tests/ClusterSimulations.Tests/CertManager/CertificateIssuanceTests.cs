using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.ClusterSimulations.CertManager;

namespace HipaaMongo.ClusterSimulations.Tests.CertManager;

public sealed class CertificateIssuanceTests
{
    private static X509Certificate2 Leaf(IssuedCertificate issued) => X509Certificate2.CreateFromPem(Pki.Text(issued, CertManagerApi.TlsCrt));

    [Fact]
    public void Leaf_from_a_CA_issuer_chains_to_that_CA_with_the_requested_names_OU_and_usages()
    {
        var ca = Pki.IssueCa();
        var issued = CertificateIssuance.Issue(new IssuanceRequest("rs0-member", Pki.MemberSpec(), Pki.CaIssuer(ca), null, Pki.Now));
        using var leaf = Leaf(issued);
        using var root = X509Certificate2.CreateFromPem(Pki.Text(issued, CertManagerApi.CaCrt));

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Pki.Now.AddDays(1).UtcDateTime;
        Assert.True(chain.Build(leaf), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(root.Thumbprint, chain.ChainElements[^1].Certificate.Thumbprint);

        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["*.rs0-hs.phi-db.svc.cluster.local", "rs0-hs.phi-db.svc.cluster.local"], san.EnumerateDnsNames().Order());
        Assert.Equal("127.0.0.1", san.EnumerateIPAddresses().Single().ToString());
        var shape = CertificateShape.FromCertificate(leaf);
        Assert.Equal(["spiffe://cluster.local/ns/phi-db/sa/rs0"], shape.Uris);
        Assert.Contains("OU=mongodb-rs0-member", leaf.Subject);
        Assert.Contains("O=ExampleHealth", leaf.Subject);
        Assert.Contains("CN=rs0", leaf.Subject);
        var eku = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value);
        Assert.Equal(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"], eku.Order());
        var ku = leaf.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.Equal(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, ku.KeyUsages);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(leaf.IssuerName.Name, root.SubjectName.Name);
    }

    [Fact]
    public void Subject_is_encoded_in_go_pkix_order_so_openssl_rfc2253_starts_with_the_common_name()
    {
        // cert-manager builds the subject with Go's pkix.Name.ToRDNSequence (C, ST, L, street, postal code, O,
        // OU, serialNumber, CN, encoded in that order); OpenSSL's RFC 2253 form prints the last RDN first.
        // mongod takes that RFC 2253 string as the $external user name, so the order is observable.
        var ca = Pki.IssueCa();
        var issued = CertificateIssuance.Issue(new IssuanceRequest("rs0-member", Pki.MemberSpec(), Pki.CaIssuer(ca), null, Pki.Now));
        var pem = Path.GetTempFileName();
        try
        {
            File.WriteAllText(pem, Pki.Text(issued, CertManagerApi.TlsCrt));
            var psi = new System.Diagnostics.ProcessStartInfo("openssl", ["x509", "-in", pem, "-noout", "-subject", "-nameopt", "RFC2253"])
            {
                RedirectStandardOutput = true,
            };
            using var openssl = System.Diagnostics.Process.Start(psi)!;
            var printed = openssl.StandardOutput.ReadToEnd().Trim();
            openssl.WaitForExit();
            Assert.Equal("subject=CN=rs0,OU=mongodb-rs0-member,O=ExampleHealth", printed);
        }
        finally
        {
            File.Delete(pem);
        }
    }

    [Fact]
    public void Leaf_of_a_root_CA_issuer_has_no_root_in_tls_crt_and_the_root_in_ca_crt()
    {
        var ca = Pki.IssueCa();
        var issued = CertificateIssuance.Issue(new IssuanceRequest("rs0-member", Pki.MemberSpec(), Pki.CaIssuer(ca), null, Pki.Now));
        var chain = new X509Certificate2Collection();
        chain.ImportFromPem(Pki.Text(issued, CertManagerApi.TlsCrt));
        Assert.Single(chain);
        Assert.Equal(Pki.Text(ca, CertManagerApi.TlsCrt), Pki.Text(issued, CertManagerApi.CaCrt));
    }

    [Fact]
    public void Self_signed_CA_is_a_CA_with_cert_sign_and_is_its_own_ca_crt()
    {
        var ca = Pki.IssueCa();
        using var cert = Leaf(ca);
        Assert.True(cert.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.True(cert.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        Assert.Equal(cert.SubjectName.Name, cert.IssuerName.Name);
        Assert.Equal(Pki.Text(ca, CertManagerApi.TlsCrt), Pki.Text(ca, CertManagerApi.CaCrt));
        Assert.Null(CaMaterial.Problem(Pki.Text(ca, CertManagerApi.TlsCrt), Pki.Text(ca, CertManagerApi.TlsKey)));
    }

    [Fact]
    public void CombinedPEM_is_the_private_key_then_the_certificate_chain()
    {
        var ca = Pki.IssueCa();
        var issued = CertificateIssuance.Issue(new IssuanceRequest("rs0-member", Pki.MemberSpec(), Pki.CaIssuer(ca), null, Pki.Now));
        var combined = Pki.Text(issued, CertManagerApi.CombinedPem);
        Assert.Equal(Pki.Text(issued, CertManagerApi.TlsKey) + "\n" + Pki.Text(issued, CertManagerApi.TlsCrt), combined);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", combined); // PKCS8 as requested
        // Usable directly as mongod's certificateKeyFile: the pair loads from the one file.
        using var pair = X509Certificate2.CreateFromPem(combined, combined);
        Assert.True(pair.HasPrivateKey);
    }

    [Fact]
    public void Default_encoding_is_PKCS1_and_DER_output_is_the_key_bytes()
    {
        var spec = Pki.MemberSpec();
        spec.PrivateKey = new CertificatePrivateKey { Algorithm = "RSA" };
        spec.AdditionalOutputFormats = [new CertificateAdditionalOutputFormat { Type = "DER" }];
        var issued = CertificateIssuance.Issue(new IssuanceRequest("c", spec, IssuerCredentials.SelfSigned("s"), null, Pki.Now));
        var keyPem = Pki.Text(issued, CertManagerApi.TlsKey);
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", keyPem);
        using var rsa = RSA.Create();
        rsa.ImportRSAPrivateKey(issued.Data[CertManagerApi.KeyDer], out _);
        Assert.Equal(2048, rsa.KeySize);
        Assert.False(issued.Data.ContainsKey(CertManagerApi.CombinedPem));
    }

    [Fact]
    public void Duration_defaults_to_90_days_and_renewal_to_two_thirds_of_it()
    {
        var spec = Pki.MemberSpec();
        spec.Duration = null;
        spec.RenewBefore = null;
        var issued = CertificateIssuance.Issue(new IssuanceRequest("c", spec, IssuerCredentials.SelfSigned("s"), null, Pki.Now));
        Assert.Equal(Pki.Now, issued.NotBefore);
        Assert.Equal(Pki.Now.AddDays(90), issued.NotAfter);
        Assert.Equal(Pki.Now.AddDays(60), issued.RenewalTime);
    }

    [Fact]
    public void RenewBefore_sets_renewalTime_before_notAfter()
    {
        var issued = CertificateIssuance.Issue(new IssuanceRequest("c", Pki.MemberSpec(), IssuerCredentials.SelfSigned("s"), null, Pki.Now));
        Assert.Equal(Pki.Now.AddHours(2160), issued.NotAfter);
        Assert.Equal(Pki.Now.AddHours(2160 - 720), issued.RenewalTime);
    }

    [Fact]
    public void Secret_carries_cert_manager_annotations_and_the_fao_label()
    {
        var spec = Pki.MemberSpec();
        spec.SecretTemplate = new SecretTemplate { Labels = new() { ["app.kubernetes.io/name"] = "hipaa-mongo" } };
        var issued = CertificateIssuance.Issue(new IssuanceRequest("rs0-member", spec, Pki.CaIssuer(Pki.IssueCa()), null, Pki.Now));
        Assert.Equal("rs0-member", issued.Annotations["cert-manager.io/certificate-name"]);
        Assert.Equal("phi-internal-ca", issued.Annotations["cert-manager.io/issuer-name"]);
        Assert.Equal("Issuer", issued.Annotations["cert-manager.io/issuer-kind"]);
        Assert.Equal("cert-manager.io", issued.Annotations["cert-manager.io/issuer-group"]);
        Assert.Equal("rs0", issued.Annotations["cert-manager.io/common-name"]);
        Assert.Equal("*.rs0-hs.phi-db.svc.cluster.local,rs0-hs.phi-db.svc.cluster.local", issued.Annotations["cert-manager.io/alt-names"]);
        Assert.Equal("true", issued.Labels["controller.cert-manager.io/fao"]);
        Assert.Equal("hipaa-mongo", issued.Labels["app.kubernetes.io/name"]);
    }

    [Fact]
    public void Serial_numbers_are_random_and_positive()
    {
        var a = CertificateIssuance.Issue(new IssuanceRequest("c", Pki.MemberSpec(), IssuerCredentials.SelfSigned("s"), null, Pki.Now));
        var b = CertificateIssuance.Issue(new IssuanceRequest("c", Pki.MemberSpec(), IssuerCredentials.SelfSigned("s"), null, Pki.Now));
        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        Assert.True(Convert.FromHexString(a.SerialNumber)[0] < 0x80);
    }

    [Theory]
    [InlineData("Ed25519", null, "Ed25519")]
    [InlineData("ECDSA", 300, "size")]
    [InlineData("DSA", null, "algorithm")]
    public void Unsupported_keys_are_a_clear_error(string algorithm, int? size, string mentions)
    {
        var spec = Pki.MemberSpec();
        spec.PrivateKey = new CertificatePrivateKey { Algorithm = algorithm, Size = size };
        var e = Assert.Throws<CertificateIssuanceException>(() =>
            CertificateIssuance.Issue(new IssuanceRequest("c", spec, IssuerCredentials.SelfSigned("s"), null, Pki.Now)));
        Assert.Contains(mentions, e.Message);
    }

    [Fact]
    public void A_CA_secret_holding_a_leaf_cannot_sign()
    {
        var leaf = CertificateIssuance.Issue(new IssuanceRequest("c", Pki.MemberSpec(), IssuerCredentials.SelfSigned("s"), null, Pki.Now));
        var problem = CaMaterial.Problem(Pki.Text(leaf, CertManagerApi.TlsCrt), Pki.Text(leaf, CertManagerApi.TlsKey));
        Assert.Contains("not a CA", problem);
        Assert.Contains("tls.crt and tls.key", CaMaterial.Problem(null, null));
        var other = Pki.IssueCa();
        Assert.Contains("does not match", CaMaterial.Problem(Pki.Text(Pki.IssueCa(), CertManagerApi.TlsCrt), Pki.Text(other, CertManagerApi.TlsKey)));
    }
}
