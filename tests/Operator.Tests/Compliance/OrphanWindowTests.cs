using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Drift;
using HipaaMongo.Operator.Reconciliation.Observe;
using HipaaMongo.Operator.Tests.Baseline;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>
/// CIS-3.3 while the operator re-creates the StatefulSet after growing the volumes (its pods orphaned, still
/// running): there is no pod template to be "as rendered", so the check is Unknown, never an earlier Pass held over,
/// and its evidence says why instead of "not read".
/// </summary>
public sealed class OrphanWindowTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Pods_running_without_their_statefulset_make_the_pod_template_check_unknown_naming_the_re_creation()
    {
        var finding = KubernetesChecksFor(runningPods: 3);

        Assert.Equal(Outcome.Unknown, finding.Outcome);
        Assert.Contains("StatefulSet phi-db is being created again while its 3 pods run on", finding.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_pods_the_statefulset_not_yet_created_is_simply_not_read()
    {
        var finding = KubernetesChecksFor(runningPods: 0);

        Assert.Equal(Outcome.Unknown, finding.Outcome);
        Assert.Equal("the StatefulSet pod template was not read", finding.Evidence);
    }

    private static (Outcome Outcome, string Evidence) KubernetesChecksFor(int runningPods)
    {
        var desired = DesiredStateRenderer.Render(Models.Minimal());
        var applied = desired.Objects.Select(o => new AppliedObject(o, new ApplyDecision(ApplyAction.Create, []), null)).ToList();
        var k = ClusterFindings.Kubernetes(desired, applied, [], Now, runningPods: runningPods);
        var report = ComplianceEvaluator.Evaluate(Observations.Passing() with { Kubernetes = k with { ObservedAt = Observations.Passing().Now } });
        var check = report.Checks.Single(c => c.CheckId == "pod-security");
        return (check.Outcome, check.Evidence);
    }
}
