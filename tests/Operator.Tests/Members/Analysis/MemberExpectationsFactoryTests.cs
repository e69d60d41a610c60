using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Tests.Baseline;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

public sealed class MemberExpectationsFactoryTests
{
    // secure-baseline.md 7.1 / 7.4: the parameters read with getParameter.
    private static readonly string[] Matrix =
    [
        "tlsMode", "clusterAuthMode", "authenticationMechanisms", "enableLocalhostAuthBypass",
        "redactClientLogData", "auditAuthorizationSuccess", "scramSHA256IterationCount",
    ];

    private static readonly string[] Ldap = ["ldapServers", "ldapQueryUser", "ldapUserToDNMapping", "ldapAuthzQueryTemplate", "ldapTimeoutMS"];

    [Fact]
    public void Options_are_the_rendered_expected_options()
    {
        var model = Models.Minimal();
        var e = MemberExpectationsFactory.For(model, Snapshots.OperatorUser, Snapshots.VerifierUser);
        Assert.Equal(ExpectedOptions.For(model), e.Options);
        Assert.Equal("phi-db", e.ReplicaSetName);
        Assert.Equal(MongoEdition.Enterprise, e.Edition);
        Assert.Equal(Snapshots.OperatorUser, e.OperatorUser);
        Assert.Equal("phiConfigVerifier", e.VerifierRole);
    }

    [Fact]
    public void Runtime_names_cover_the_matrix_and_every_runtime_option_without_ldap()
    {
        var e = MemberExpectationsFactory.For(Models.Minimal(), Snapshots.OperatorUser, Snapshots.VerifierUser);
        Assert.All(Matrix, n => Assert.Contains(n, e.RuntimeParameterNames));
        Assert.All(Ldap, n => Assert.DoesNotContain(n, e.RuntimeParameterNames));
        // Enterprise renders setParameter.authFailedDelayMs (secure-baseline.md 6); Percona-only telemetry is absent.
        Assert.Contains("authFailedDelayMs", e.RuntimeParameterNames);
        Assert.Contains("tlsX509ExpirationWarningThresholdDays", e.RuntimeParameterNames);
        Assert.DoesNotContain("perconaTelemetry", e.RuntimeParameterNames);
        Assert.Equal(e.RuntimeParameterNames.Count, e.RuntimeParameterNames.Distinct().Count());
    }

    [Fact]
    public void Ldap_parameters_are_read_when_ldap_is_configured()
    {
        var e = MemberExpectationsFactory.For(Models.WithLdap(), Snapshots.OperatorUser, Snapshots.VerifierUser);
        Assert.All(Ldap, n => Assert.Contains(n, e.RuntimeParameterNames));
        Assert.DoesNotContain(e.RuntimeParameterNames, n => n.Contains("Password", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Percona_reads_its_telemetry_parameter()
    {
        var model = Models.Minimal() with { Edition = MongoEdition.Percona };
        var e = MemberExpectationsFactory.For(model, Snapshots.OperatorUser, Snapshots.VerifierUser);
        Assert.Contains("perconaTelemetry", e.RuntimeParameterNames);
        Assert.DoesNotContain("authFailedDelayMs", e.RuntimeParameterNames);
    }

    [Fact]
    public void Blank_identities_are_refused()
    {
        Assert.Throws<ArgumentException>(() => MemberExpectationsFactory.For(Models.Minimal(), " ", Snapshots.VerifierUser));
    }
}
