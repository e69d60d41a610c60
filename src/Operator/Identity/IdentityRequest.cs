using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Identity;

/// <summary>
/// The CertificateRequest for one client identity: a CSR over a key that exists only in this process, and the
/// cert-manager.io/v1 object that carries it (spec.request is the base64 of the PEM CSR; the subject is in the CSR,
/// cert-manager copies it; usages and duration are in the spec). Nothing here holds or writes the private key.
/// </summary>
public static class IdentityRequest
{
    public const string Component = "identity";
    public const string RoleLabel = "hipaa.mongooperator.io/identity";

    /// <summary>A new ECDSA P-384 key, as the rendered client Certificates ask for (CertificateRenderer.PrivateKey).</summary>
    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP384);

    /// <summary>
    /// The PEM CSR: CN, OU and O in the order cert-manager encodes a Certificate's subject (X509Extensions.Subject
    /// of the simulation; Go's pkix order), so mongod sees the same distinguished name, hence the same user. No
    /// extensions: cert-manager sets key usages and basic constraints from the spec, and a CSR that carried its own
    /// would have to match them exactly (pki.CertificateTemplateValidateAndOverrideKeyUsages).
    /// </summary>
    public static string Csr(ClientIdentitySpec spec, ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(spec.CommonName);
        subject.AddOrganizationalUnitName(spec.OrganizationalUnit);
        subject.AddOrganizationName(CertificateRenderer.Organization);
        return new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA384).CreateSigningRequestPem();
    }

    /// <summary>A fresh, unique name per request: requests are one-shot and their spec is immutable.</summary>
    public static string Name(ClientIdentitySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var purpose = spec.Purpose.Length > 0 ? spec.Purpose + "-" : "";
        return $"{spec.Owner}-{spec.Role.ToString().ToLowerInvariant()}-{purpose}{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
    }

    /// <summary>The CertificateRequest object, owned by the HipaaMongo (garbage-collected with it).</summary>
    public static JsonObject Object(ClientIdentitySpec spec, string name, string csrPem)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var labels = new JsonObject();
        foreach (var (k, v) in Labels.For(spec.Owner, Component))
        {
            labels[k] = v;
        }
        labels[RoleLabel] = spec.Role.ToString().ToLowerInvariant();
        return new JsonObject
        {
            ["apiVersion"] = "cert-manager.io/v1",
            ["kind"] = "CertificateRequest",
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = spec.Namespace,
                ["labels"] = labels,
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = ApiGroup.ApiVersion,
                    ["kind"] = ApiGroup.Kind,
                    ["name"] = spec.Owner,
                    ["uid"] = spec.OwnerUid,
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = false,
                }),
            },
            ["spec"] = new JsonObject
            {
                ["request"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(csrPem)),
                ["issuerRef"] = new JsonObject { ["name"] = spec.Issuer.Name, ["kind"] = spec.Issuer.Kind, ["group"] = spec.Issuer.Group },
                ["usages"] = new JsonArray("digital signature", "key encipherment", "client auth"),
                ["duration"] = spec.Duration,
            },
        };
    }
}
