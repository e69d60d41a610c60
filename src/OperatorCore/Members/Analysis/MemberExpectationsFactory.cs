using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// Derives what a member must show from the baseline model. Expected values come only from
/// <see cref="ExpectedOptions.For"/> (the rendered mongod.conf), never restated here.
/// </summary>
public static class MemberExpectationsFactory
{
    /// <summary>The runtime parameters the drift matrix reads with getParameter (secure-baseline.md 7.1, 7.4).</summary>
    private static readonly string[] MatrixParameters =
    [
        "tlsMode", "clusterAuthMode", "authenticationMechanisms", "enableLocalhostAuthBypass",
        "redactClientLogData", "auditAuthorizationSuccess", "scramSHA256IterationCount",
    ];

    /// <summary>operatorUser/verifierUser are the RFC 2253 subjects of the loaded client certificates.</summary>
    public static MemberExpectations For(BaselineModel model, string operatorUser, string verifierUser, RenderOptions? render = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(operatorUser);
        ArgumentException.ThrowIfNullOrWhiteSpace(verifierUser);
        var options = ExpectedOptions.For(model);
        var ldap = model.Ldap is null ? [] : LdapParameters.All.Select(p => p.Parameter);
        var names = MatrixParameters.Concat(ldap)
            .Concat(options.Select(o => o.RuntimeParameter).OfType<string>())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new MemberExpectations
        {
            ReplicaSetName = options.Single(o => o.Path == "replication.replSetName").Value as string
                ?? throw new InvalidOperationException("the rendered replication.replSetName is not a string"),
            Edition = model.Edition,
            Version = model.Version,
            Options = options,
            OperatorUser = operatorUser,
            VerifierUser = verifierUser,
            RuntimeParameterNames = names,
            MemberHosts = MemberHosts(model, render ?? RenderOptions.Default),
            LdapGroupRoles = model.Ldap?.GroupRoles ?? [],
        };
    }

    /// <summary>
    /// The hosts the bootstrapper initiates the set with: each pod's FQDN under the headless Service (the first SAN
    /// of each member in CertificateRenderer.MemberDnsNames) and the mongod port.
    /// </summary>
    public static IReadOnlyList<string> MemberHosts(BaselineModel model, RenderOptions render)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(render);
        var hs = Names.HeadlessService(model.Name);
        return [.. Enumerable.Range(0, model.Members)
            .Select(i => $"{Names.Pod(model.Name, i)}.{hs}.{model.Namespace}.svc.{render.ClusterDomain}:{MountPaths.MongodPort}")];
    }
}
