using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>For each check, one change to a passing observation that is a real-world failure of that fact.</summary>
internal static class Mutations
{
    public static IReadOnlyDictionary<string, Func<Observation, Observation>> Failing { get; } =
        new Dictionary<string, Func<Observation, Observation>>
        {
            ["tls-mode"] = o => o.WithMember(p => p with { TlsMode = "preferTLS" }),
            ["tls-protocols"] = o => o.WithMember(p => p with { DisabledProtocols = "TLS1_0" }),
            ["tls-peer-validation"] = o => o.WithMember(p => p with { AllowInvalidHostnames = true }),
            ["tls-certificate-valid"] = o => o with
            {
                Certificates = [.. o.Certificates.Select((c, i) => i == 0 ? c with { NotAfter = o.Now - TimeSpan.FromHours(1) } : c)],
            },
            ["certificates-as-rendered"] = o => o with
            {
                Certificates = [.. o.Certificates.Select((c, i) => i == 0 ? c with { Differences = ["spec.isCA is true, not <absent>"] } : c)],
            },
            ["authorization"] = o => o.WithMember(p => p with { Authorization = "disabled" }),
            ["member-x509"] = o => o.WithMember(p => p with { ClusterAuthMode = "keyFile" }),
            ["localhost-bypass"] = o => o.WithMember(p => p with { EnableLocalhostAuthBypass = true }),
            ["server-side-js"] = o => o.WithMember(p => p with { JavascriptEnabled = true }),
            ["declared-users"] = o => o.WithMember(p => p with { UsersOutsideDeclaredSet = ["admin.root"] }),
            ["declared-roles"] = o => o.WithMember(p => p with { RolesOutsideDeclaredSet = ["admin.everything"] }),
            ["audit-enabled"] = o => o.WithMember(p => p with { AuditEnabled = false }),
            ["audit-filter"] = o => o.WithMember(p => p with { AuditFilter = "{}" }),
            ["log-redaction"] = o => o.WithMember(p => p with { RedactClientLogData = false }),
            ["encryption-at-rest"] = o => o.WithMember(p => p with { EncryptionEnabled = false }),
            ["encryption-cipher"] = o => o.WithMember(p => p with { EncryptionCipherMode = "AES256-CBC" }),
            ["kmip-master-key"] = o => o.WithMember(p => p with { KmipKeyId = "" }),
            ["default-deny-present"] = o => o.WithKubernetes(k => k with { DefaultDenyPresent = false }),
            ["default-deny-unmodified"] = o => o.WithKubernetes(k => k with { DefaultDenyUnmodified = false }),
            ["no-extra-policy"] = o => o.WithKubernetes(k => k with { PoliciesOpeningPods = ["allow-all-ingress"] }),
            ["pod-security"] = o => o.WithKubernetes(k => k with { PodTemplateDifferences = ["spec.template.spec.securityContext differs from the render"] }),
            ["replica-set-hosts"] = o => o.WithMember(p => p with { ReplicaHostsOutsideCertificates = ["10.0.0.7:27017"] }),
            ["replica-members"] = o => o.WithMember(p => p with { ReplicaHealthy = false }),
            ["server-build"] = o => o.WithMember(p => p with { BuildDifferences = ["buildInfo version is 4.4.29, not the declared 8.0.4"] }),
        };

    /// <summary>Changes that remove proof without showing a failure: each must make the result Unknown.</summary>
    public static IReadOnlyDictionary<string, Func<Observation, Observation>> Unproven { get; } =
        new Dictionary<string, Func<Observation, Observation>>
        {
            ["member unreachable"] = o => o.WithMemberFinding(m => m with { Reachable = false }),
            ["member not read"] = o => o.WithMemberFinding(m => m with { Parameters = null }),
            ["member read stale"] = o => o.WithMemberFinding(m => m with { ObservedAt = o.Now - o.VerificationInterval - TimeSpan.FromSeconds(1) }),
            ["member read in the future"] = o => o.WithMemberFinding(m => m with { ObservedAt = o.Now + TimeSpan.FromMinutes(1) }),
            ["tlsMode not read"] = o => o.WithMember(p => p with { TlsMode = null }),
            ["audit filter not read"] = o => o.WithMember(p => p with { AuditFilter = null }),
            ["kmip key not reported by the member"] = o => o.WithMember(p => p with { KmipKeyId = null }),
            ["kmip key state not read from the KMIP server"] = o => o.WithMember(p => p with { KmipKeyState = null }),
            ["served certificate not read"] = o => o.WithMember(p => p with { ServedCertificateNotAfter = null }),
            ["replica-set config not read"] = o => o.WithMember(p => p with { ReplicaHostsOutsideCertificates = null }),
            ["buildInfo not read"] = o => o.WithMember(p => p with { BuildDifferences = null }),
            ["pod template not read"] = o => o.WithKubernetes(k => k with { PodTemplateDifferences = null }),
            ["users not read"] = o => o.WithMember(p => p with { UsersOutsideDeclaredSet = null }),
            ["kubernetes not read"] = o => o with { Kubernetes = KubernetesFindings.None },
            ["kubernetes read stale"] = o => o.WithKubernetes(k => k with { ObservedAt = o.Now - TimeSpan.FromHours(1) }),
            ["policies not listed"] = o => o.WithKubernetes(k => k with { PoliciesOpeningPods = null }),
            ["certificate not issued"] = o => o with { Certificates = [.. o.Certificates.Select(c => c with { NotAfter = null })] },
            ["certificate read stale"] = o => o with { Certificates = [.. o.Certificates.Select(c => c with { ObservedAt = o.Now - TimeSpan.FromDays(1) })] },
            ["no certificates"] = o => o with { Certificates = [] },
            ["no members"] = o => o with { Members = [], Desired = o.Desired with { Members = 0 } },
            ["zero interval"] = o => o with { VerificationInterval = TimeSpan.Zero },
        };
}
