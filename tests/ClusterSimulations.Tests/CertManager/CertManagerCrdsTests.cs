using System.Reflection;
using System.Text.Json.Serialization;
using HipaaMongo.ClusterSimulations.CertManager;
using YamlDotNet.RepresentationModel;

namespace HipaaMongo.ClusterSimulations.Tests.CertManager;

public sealed class CertManagerCrdsTests
{
    private static List<YamlMappingNode> Crds()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(CertManagerCrds.Yaml));
        return [.. stream.Documents.Select(d => (YamlMappingNode)d.RootNode)];
    }

    private static YamlMappingNode Path(YamlNode node, params string[] keys) =>
        keys.Aggregate((YamlMappingNode)node, (n, k) => (YamlMappingNode)n[k]);

    private static YamlMappingNode Schema(string plural) =>
        Path(((YamlSequenceNode)Path(Crds().Single(c => Path(c, "metadata")["name"].ToString() == plural + ".cert-manager.io"), "spec")["versions"])[0],
            "schema", "openAPIV3Schema", "properties");

    [Fact]
    public void Four_cert_manager_v1_CRDs_with_status_subresources()
    {
        var crds = Crds();
        Assert.Equal(["certificaterequests.cert-manager.io", "certificates.cert-manager.io", "clusterissuers.cert-manager.io", "issuers.cert-manager.io"],
            crds.Select(c => Path(c, "metadata")["name"].ToString()).Order());
        Assert.All(crds, c => Assert.Equal("apiextensions.k8s.io/v1", c["apiVersion"].ToString()));
        Assert.Equal("Cluster", Path(crds.Single(c => Path(c, "spec", "names")["kind"].ToString() == "ClusterIssuer"), "spec")["scope"].ToString());
    }

    [Theory]
    [InlineData(typeof(CertificateSpec), "certificates", "spec")]
    [InlineData(typeof(CertificateStatus), "certificates", "status")]
    [InlineData(typeof(IssuerSpec), "issuers", "spec")]
    [InlineData(typeof(IssuerSpec), "clusterissuers", "spec")]
    [InlineData(typeof(CertificateRequestSpec), "certificaterequests", "spec")]
    [InlineData(typeof(CertificateRequestStatus), "certificaterequests", "status")]
    public void Every_field_of_the_CSharp_type_is_in_the_CRD_schema(Type type, string plural, string part)
    {
        var properties = Path(Schema(plural), part, "properties");
        foreach (var p in type.GetProperties())
        {
            var json = p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name;
            Assert.True(properties.Children.ContainsKey(json), $"{plural} {part}.{json} missing from the CRD");
        }
    }

    [Fact]
    public void Enumerations_match_cert_manager_values()
    {
        var pk = Path(Schema("certificates"), "spec", "properties", "privateKey", "properties");
        Assert.Equal(["RSA", "ECDSA", "Ed25519"], ((YamlSequenceNode)Path(pk, "algorithm")["enum"]).Select(n => n.ToString()));
        Assert.Equal(["Never", "Always"], ((YamlSequenceNode)Path(pk, "rotationPolicy")["enum"]).Select(n => n.ToString()));
        var formats = Path(Schema("certificates"), "spec", "properties", "additionalOutputFormats", "items", "properties", "type");
        Assert.Equal(["DER", "CombinedPEM"], ((YamlSequenceNode)formats["enum"]).Select(n => n.ToString()));
    }
}
