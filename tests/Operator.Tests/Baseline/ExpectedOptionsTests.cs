using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Tests.Baseline;

public class ExpectedOptionsTests
{
    [Fact]
    public void Verification_expects_what_is_rendered_and_forbids_the_weakening_options()
    {
        var expected = ExpectedOptions.For(Models.WithLdap()).ToDictionary(e => e.Path);
        Assert.Equal("requireTLS", expected["net.tls.mode"].Value);
        Assert.Equal("tlsMode", expected["net.tls.mode"].RuntimeParameter);
        Assert.Equal("x509", expected["security.clusterAuthMode"].Value);
        Assert.Equal("auditAuthorizationSuccess", expected["setParameter.auditAuthorizationSuccess"].RuntimeParameter);
        Assert.Equal(Expectation.AbsentOrSafe, expected["net.tls.allowInvalidCertificates"].Expectation);
        Assert.Equal(Expectation.AbsentOrSafe, expected["security.transitionToAuth"].Expectation);
        // The bind password is expanded from a file at start-up; it is never something to compare.
        Assert.DoesNotContain(expected.Keys, k => k.Contains("queryPassword", StringComparison.Ordinal));
    }

    [Fact]
    public void The_kmip_port_is_expected_as_the_int_getCmdLineOpts_reports()
    {
        // mongod parses security.kmip.port as an Int (both editions), so parsed.security.kmip.port is a number:
        // an expected string would never compare.
        var expected = ExpectedOptions.For(Models.Minimal()).ToDictionary(e => e.Path);
        Assert.Equal(5696, Assert.IsType<int>(expected["security.kmip.port"].Value));
        Assert.Equal(Expectation.Equals, expected["security.kmip.port"].Expectation);
    }
}
