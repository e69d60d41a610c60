using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Operator.Reconciliation.Certificates;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation.Certificates;

/// <summary>The trust step's facts from PEM text: issuers judged by key (two CAs with one subject), the bundle and its annotations.</summary>
public sealed class CaTrustObservationTests
{
    private static readonly CaTrustMembers NotVerified = CaTrustMembers.NotRead;

    private static (X509Certificate2 Ca, ECDsa Key) Ca()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=phi-db-ca", key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return (req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30)), key);
    }

    private static X509Certificate2 Leaf((X509Certificate2 Ca, ECDsa Key) issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest("CN=phi-db-0", key, HashAlgorithmName.SHA256);
        return req.Create(issuer.Ca.SubjectName, X509SignatureGenerator.CreateForECDsa(issuer.Key), DateTimeOffset.UtcNow.AddHours(-1),
            DateTimeOffset.UtcNow.AddDays(10), [1, 2, 3]);
    }

    [Fact]
    public void A_leaf_of_the_previous_CA_is_told_by_key_though_both_CAs_have_one_subject()
    {
        var previous = Ca();
        var current = Ca();
        using var leaf = Leaf(previous);
        var bundle = new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [CaTrustStep.PreviousAnnotation] = "abc", [CaTrustStep.AwaitingAnnotation] = "0102" } },
            Data = new Dictionary<string, string> { ["ca.crt"] = previous.Ca.ExportCertificatePem() },
        };

        var facts = CaTrustObservation.Facts(current.Ca.ExportCertificatePem(), leaf.ExportCertificatePem(), previous.Ca.ExportCertificatePem(), bundle, NotVerified);

        Assert.False(facts.MemberLeafOnCurrent);
        Assert.Equal(Thumb(previous.Ca), facts.MemberLeafCa!.Thumbprint);
        Assert.Equal(Thumb(current.Ca), facts.Current!.Thumbprint);
        Assert.Equal([Thumb(previous.Ca)], facts.Bundle.Select(c => c.Thumbprint));
        Assert.Equal(("abc", "0102"), (facts.PreviousThumbprint, facts.AwaitingSerial));
        Assert.Equal(leaf.SerialNumber, facts.MemberLeafSerial);
        Assert.Null(facts.AllServeMemberLeaf); // no verification: not known
        Assert.Null(facts.IdentitiesOnCurrent);
    }

    [Fact]
    public void A_ca_crt_that_does_not_verify_the_leaf_is_no_previous_CA()
    {
        var previous = Ca();
        var current = Ca();
        var stranger = Ca();
        using var leaf = Leaf(previous);

        var facts = CaTrustObservation.Facts(current.Ca.ExportCertificatePem(), leaf.ExportCertificatePem(), stranger.Ca.ExportCertificatePem(), null, NotVerified);

        Assert.False(facts.MemberLeafOnCurrent);
        Assert.Null(facts.MemberLeafCa);
        Assert.Empty(facts.Bundle);
        Assert.Equal(CaTrustStage.Reissuing, CaTrustPlanner.Decide(facts, "ca", "bundle").Stage);
    }

    [Fact]
    public void Unparseable_text_is_no_certificate()
    {
        Assert.Empty(CaTrustObservation.Cas("not a pem"));
        Assert.Empty(CaTrustObservation.Cas(null));
        var facts = CaTrustObservation.Facts("garbage", "garbage", null, null, NotVerified);
        Assert.Null(facts.Current);
        Assert.Null(facts.MemberLeafOnCurrent);
    }

    private static string Thumb(X509Certificate2 c) => Convert.ToHexStringLower(c.GetCertHash(HashAlgorithmName.SHA256));
}
