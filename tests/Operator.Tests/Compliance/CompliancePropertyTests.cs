using CsCheck;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

public class CompliancePropertyTests
{
    private const long Iterations = 300;

    // Replica health is outside the verdict (CheckCatalogue.OutsideTheVerdict), so it breaks nothing here.
    private static readonly IReadOnlyList<Func<Observation, Observation>> Breakers =
        [.. Mutations.Failing.Where(m => !CheckCatalogue.OutsideTheVerdict.Any(c => c.Id == m.Key)).Select(m => m.Value), .. Mutations.Unproven.Values];

    // A passing observation at a random clock and interval, with reads anywhere inside the interval.
    private static readonly Gen<Observation> Fresh =
        Gen.Select(Gen.Int[0, 1_000_000], Gen.Int[1, 3600], Gen.Double[0, 1], (minutes, intervalSeconds, age) =>
        {
            var o = Observations.Passing();
            var now = o.Now + TimeSpan.FromMinutes(minutes);
            var interval = TimeSpan.FromSeconds(intervalSeconds);
            var at = now - (interval * age);
            return o with
            {
                Now = now,
                VerificationInterval = interval,
                Members = [.. o.Members.Select(m => m with { ObservedAt = at })],
                Kubernetes = o.Kubernetes with { ObservedAt = at },
                Certificates = [.. o.Certificates.Select(c => c with { ObservedAt = at, NotAfter = now + TimeSpan.FromDays(30) })],
            };
        });

    [Fact]
    public void Fresh_hardened_observations_are_compliant() =>
        Fresh.Sample(o => Assert.True(ComplianceEvaluator.Evaluate(o).Compliant), iter: Iterations, threads: 1);

    [Fact]
    public void No_observation_with_a_failing_or_unknown_input_is_compliant() =>
        Gen.Select(Fresh, Gen.Int[0, Breakers.Count - 1].Array[1, 4], (o, picks) => picks.Aggregate(o, (acc, i) => Breakers[i](acc)))
            .Sample(o =>
            {
                var report = ComplianceEvaluator.Evaluate(o);
                Assert.False(report.Compliant);
                Assert.NotEqual(ComplianceState.True, report.Summary.State);
                Assert.NotEqual(report.Summary.Total, report.Summary.Passed);
                Assert.NotEmpty(report.Summary.Failing.Concat(report.Summary.Unknown));
            }, iter: Iterations, threads: 1);

    [Fact]
    public void Any_stale_member_read_is_never_pass() =>
        Gen.Select(Fresh, Gen.Int[0, 2], Gen.Int[1, 100_000], (o, index, extraSeconds) =>
                o.WithMemberFinding(m => m with { ObservedAt = o.Now - o.VerificationInterval - TimeSpan.FromSeconds(extraSeconds) }, index))
            .Sample(o =>
            {
                var report = ComplianceEvaluator.Evaluate(o);
                Assert.Equal(Outcome.Unknown, report.Check("tls-mode").Outcome);
                Assert.Equal(ComplianceState.Unknown, report.Summary.State);
            }, iter: Iterations, threads: 1);
}
