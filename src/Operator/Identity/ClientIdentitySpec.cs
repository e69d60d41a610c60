using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Identity;

/// <summary>Whose identity: the operator's (corrections, bootstrap, rotation) or the verifier's (every read).</summary>
public enum ClientRole
{
    Operator,
    Verifier,
}

/// <summary>
/// One client identity the operator asks cert-manager for: the subject mongod maps to its x.509 user (the same
/// CN, O and OU the rendered client Certificates carry, so the user is the same), the issuer of the set's
/// certificates, the lifetime, and the HipaaMongo that owns the request (uid-exact, so garbage collection removes a
/// request left behind when the resource goes).
/// </summary>
public sealed record ClientIdentitySpec(
    string Namespace,
    string Owner,
    string OwnerUid,
    ClientRole Role,
    string CommonName,
    string OrganizationalUnit,
    IssuerRefModel Issuer,
    string Duration,
    string Purpose = "")
{
    /// <summary>The two identities of <paramref name="resource"/>, from its spec as the renderer reads it.</summary>
    public static (ClientIdentitySpec Operator, ClientIdentitySpec Verifier) For(HipaaMongoResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var m = BaselineModelMapper.Map(resource);
        var issuer = m.Tls.IssuerRef ?? new IssuerRefModel(Names.CaIssuer(m.Name));
        var uid = resource.Metadata.Uid ?? "";
        return (
            new(m.Namespace, m.Name, uid, ClientRole.Operator, "hipaa-mongo-operator", CertificateRenderer.OperatorOu(m.Name), issuer, m.Tls.Duration),
            new(m.Namespace, m.Name, uid, ClientRole.Verifier, "hipaa-mongo-verifier", CertificateRenderer.VerifierOu(m.Name), issuer, m.Tls.Duration));
    }

    /// <summary>Key of the identity in the operator's memory: a new owner uid (re-created resource) is a new identity.</summary>
    public string Key => $"{Namespace}/{Owner}/{OwnerUid}/{Role}{(Purpose.Length > 0 ? "/" + Purpose : "")}";

    /// <summary>
    /// The operator's identity as a probe: the same subject (so the same user), a key and certificate of its own, requested
    /// from the current CA while a CA change is under way to learn whether each member already trusts that CA, without
    /// touching the identities the operator works with.
    /// </summary>
    public ClientIdentitySpec AsProbe() => this with { Purpose = "probe" };
}
