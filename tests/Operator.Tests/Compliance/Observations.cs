using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Tests.Baseline;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>
/// Observations for tests. The passing member parameters are the values secure-baseline.md 7.4 and 8.1 require,
/// written literally (not copied from the renderer), except the audit filter, which is compared with whatever
/// was rendered.
/// </summary>
internal static class Observations
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    public static readonly DateTimeOffset ReadAt = Now - TimeSpan.FromMinutes(1);

    public static BaselineModel Model(string? keyId = "hm-master-key-1") =>
        Models.Minimal() with { Kmip = Models.Minimal().Kmip with { KeyIdentifier = keyId } };

    public static Observation Passing(BaselineModel? model = null)
    {
        var desired = DesiredFacts.For(model ?? Model());
        var keyId = desired.Value("security.kmip.keyIdentifier") as string ?? "any-kmip-key";
        var filter = (string)desired.Value("auditLog.filter")!;
        return new Observation
        {
            Now = Now,
            VerificationInterval = Interval,
            Desired = desired,
            Kubernetes = new KubernetesFindings
            {
                ObservedAt = ReadAt,
                DefaultDenyPresent = true,
                DefaultDenyUnmodified = true,
                PoliciesOpeningPods = [],
                PodTemplateDifferences = [],
            },
            Members = [.. Enumerable.Range(0, desired.Members).Select(i => new MemberFinding($"phi-db-{i}", true, ReadAt, Hardened(keyId, filter)))],
            Certificates =
            [
                new("phi-db-member", Now + TimeSpan.FromDays(60), ReadAt, []),
                new("phi-db-kmip-client", Now + TimeSpan.FromDays(300), ReadAt, []),
            ],
        };
    }

    public static MemberParameters Hardened(string keyId, string auditFilter) => new()
    {
        TlsMode = "requireTLS",
        DisabledProtocols = "TLS1_0,TLS1_1",
        AllowInvalidCertificates = false,
        AllowInvalidHostnames = false,
        ClusterAuthMode = "x509",
        Authorization = "enabled",
        RedactClientLogData = true,
        AuditEnabled = true,
        AuditFilter = auditFilter,
        EncryptionEnabled = true,
        EncryptionCipherMode = "AES256-GCM",
        KmipKeyId = keyId,
        KmipKeyState = "Active",
        JavascriptEnabled = false,
        EnableLocalhostAuthBypass = false,
        UsersOutsideDeclaredSet = [],
        RolesOutsideDeclaredSet = [],
        ReplicaHealthy = true,
        // A hardened member's served certificate is current; tests of expiry change this value.
        ServedCertificateNotAfter = DateTimeOffset.MaxValue,
        ReplicaHostsOutsideCertificates = [],
        BuildDifferences = [],
    };

    /// <summary>
    /// Changes the parameters of one member (index 1: a secondary, so failures are not primary-only);
    /// a member whose parameters were not read stays unread.
    /// </summary>
    public static Observation WithMember(this Observation o, Func<MemberParameters, MemberParameters> change, int index = 1) =>
        o.WithMemberFinding(m => m.Parameters is null ? m : m with { Parameters = change(m.Parameters) }, index);

    public static Observation WithMemberFinding(this Observation o, Func<MemberFinding, MemberFinding> change, int index = 1) =>
        o with { Members = [.. o.Members.Select((m, i) => i == index ? change(m) : m)] };

    public static Observation WithKubernetes(this Observation o, Func<KubernetesFindings, KubernetesFindings> change) =>
        o with { Kubernetes = change(o.Kubernetes) };
}
