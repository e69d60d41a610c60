using System.Globalization;
using System.Text.Json.Nodes;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Drift;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Observe;

/// <summary>
/// Pure: turns what one pass found in Kubernetes, before it corrected anything, into the evaluator's
/// <see cref="KubernetesFindings"/> and <see cref="CertificateFinding"/>s. A policy deleted out of band is
/// therefore a failure in the pass that re-creates it; the next pass (woken by our own write) sees it back.
/// </summary>
public static class ClusterFindings
{
    public static KubernetesFindings Kubernetes(
        DesiredState desired, IReadOnlyList<AppliedObject> applied, IEnumerable<V1NetworkPolicy> livePolicies, DateTimeOffset now,
        IReadOnlyList<ChildFailure>? failures = null, int runningPods = 0)
    {
        ArgumentNullException.ThrowIfNull(applied);
        // A child the API refused is not as rendered: the controls that read it fail, naming the refusal.
        // (One the operator holds while re-creating it is not refused: its pods still run the applied template.)
        var refusedStatefulSet = failures?.FirstOrDefault(f => f.Kind == "StatefulSet" && f.Reason is null);
        var refusedDefaultDeny = failures?.FirstOrDefault(f => f.Kind == "NetworkPolicy"
            && f.Name.EndsWith(NetworkPolicyRenderer.DefaultDenySuffix, StringComparison.Ordinal));
        var defaultDeny = applied.FirstOrDefault(a => a.Desired is V1NetworkPolicy
            && a.Desired.Metadata.Name.EndsWith(NetworkPolicyRenderer.DefaultDenySuffix, StringComparison.Ordinal));
        var statefulSet = applied.FirstOrDefault(a => a.Desired is V1StatefulSet);
        return new KubernetesFindings
        {
            ObservedAt = now,
            DefaultDenyPresent = defaultDeny is null ? null : defaultDeny.Live is not null,
            DefaultDenyUnmodified = refusedDefaultDeny is not null ? false
                : defaultDeny?.Live is null ? null : defaultDeny.Decision.Findings.Count == 0,
            PoliciesOpeningPods = [.. ForeignPolicyDetector.Detect(desired, livePolicies).Select(f => f.Name).Distinct().Order(StringComparer.Ordinal)],
            OwnPoliciesChanged = OwnAllowPolicies(applied, failures),
            // Every difference in the pod template from the render as the server stores it, compared whole.
            PodTemplateDifferences = refusedStatefulSet is not null ? ["not applied: " + refusedStatefulSet.Describe()]
                : statefulSet?.Live is null ? null
                : [.. statefulSet.Decision.Findings.Where(f => f.Path.StartsWith("spec.template", StringComparison.Ordinal))
                    .Select(f => $"{f.Path} is {f.Found}, not {f.Expected}")],
            // Pods without their StatefulSet: orphaned by the operator's own delete (growing the volumes), re-created now.
            PodTemplateAbsentBecause = statefulSet is { Live: null } && runningPods > 0
                ? $"StatefulSet {statefulSet.Desired.Metadata.Name} is being created again while its {runningPods} pods run on (orphaned, "
                    + "as when the volumes grow); the template is compared again once it exists"
                : null,
        };
    }

    // Our NetworkPolicies other than the default-deny, each difference found before the revert (or the refusal of one).
    private static List<string> OwnAllowPolicies(IReadOnlyList<AppliedObject> applied, IReadOnlyList<ChildFailure>? failures) =>
    [
        .. (failures ?? []).Where(f => f.Kind == "NetworkPolicy" && !IsDefaultDeny(f.Name)).Select(f => $"{f.Name}: not applied: {f.Describe()}"),
        .. applied.Where(a => a.Desired is V1NetworkPolicy && !IsDefaultDeny(a.Desired.Metadata.Name) && a.Live is not null)
            .SelectMany(a => a.Decision.Findings.Select(f => $"{a.Desired.Metadata.Name}: {f.Path} is {f.Found}, not {f.Expected}")),
    ];

    private static bool IsDefaultDeny(string name) => name.EndsWith(NetworkPolicyRenderer.DefaultDenySuffix, StringComparison.Ordinal);

    /// <summary>
    /// Every rendered Certificate's status.notAfter as read this pass (null until issued), and how its spec differed
    /// from the render as found; not compared (null) in the first pass of a generation, whose writes are the spec's.
    /// </summary>
    public static IReadOnlyList<CertificateFinding> Certificates(IReadOnlyList<AppliedObject> applied, DateTimeOffset now, bool settled = true,
        IReadOnlyList<ChildFailure>? failures = null)
    {
        ArgumentNullException.ThrowIfNull(applied);
        return
        [
            .. (failures ?? []).Where(f => f.Kind == "Certificate")
                .Select(f => new CertificateFinding(f.Name, null, now, ["not applied: " + f.Describe()])),
            .. applied.Where(a => a.Desired is CertManagerObject { Kind: "Certificate" })
                .Select(a => new CertificateFinding(a.Desired.Metadata.Name, NotAfter(a.Live), now,
                    a.Live is null || !settled ? null : [.. a.Decision.Findings.Select(f => $"{f.Path} is {f.Found}, not {f.Expected}")])),
        ];
    }

    /// <summary>
    /// Before the first verification: one unread finding per declared member, so member checks are Unknown
    /// ("not read"), never Fail as if the members did not exist.
    /// </summary>
    public static IReadOnlyList<MemberFinding> Unread(string resourceName, int declared) =>
        [.. Enumerable.Range(0, Math.Max(0, declared)).Select(i => new MemberFinding(Names.Pod(resourceName, i), false, null, null))];

    /// <summary>The member Certificate's notAfter (what the members serve, per cert-manager), or null.</summary>
    public static DateTimeOffset? MemberCertificateNotAfter(IReadOnlyList<CertificateFinding> certificates, string resourceName) =>
        certificates.FirstOrDefault(c => c.Name == Names.MemberCertificate(resourceName))?.NotAfter;

    private static DateTimeOffset? NotAfter(JsonObject? live) =>
        live?["status"]?["notAfter"] is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : null;
}
