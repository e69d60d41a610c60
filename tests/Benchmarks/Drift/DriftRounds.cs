using System.Diagnostics;
using HipaaMongo.Benchmarks.Scale;

namespace HipaaMongo.Benchmarks.Drift;

/// <summary>
/// One design's rounds: delete the default-deny policy of a random HipaaMongo, time from just before the DELETE
/// to the harness watch's ADDED event for the same name, then let the controller's follow-up passes settle.
/// </summary>
public sealed class DriftRounds(BenchHttp http, PolicyWatch watch, AuditWindow audit, IReadOnlyList<(string Namespace, string Name)> fleet)
{
    static readonly TimeSpan RoundLimit = TimeSpan.FromSeconds(120);
    static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(300);

    public async Task<Sample> RunAsync(string design, int rounds, int seed, CancellationToken ct)
    {
        var sample = new Sample(design);
        var random = new Random(seed);
        var missed = 0;
        for (var r = 0; r < rounds; r++)
        {
            // A random moment, so a deletion falls at a random phase of a periodic design's resync (rounds that
            // start right after the previous correction would be phase-locked to it).
            await Task.Delay(random.Next((int)DriftProfile.ResyncPeriod.TotalMilliseconds), ct);
            var (ns, name) = fleet[random.Next(fleet.Count)];
            var policy = EchoReconciler.PolicyName(name);
            await Waits.UntilAsync(() => watch.Exists(ns, policy), RoundLimit, $"{ns}/{policy} present before round {r}", ct);
            var added = watch.NextAdded(ns, policy);
            var start = Stopwatch.GetTimestamp();
            await http.TimedSendAsync(HttpMethod.Delete, $"apis/networking.k8s.io/v1/namespaces/{ns}/networkpolicies/{policy}", "{}", "application/json", ct);
            try
            {
                var arrived = await added.WaitAsync(RoundLimit, ct);
                sample.Add(Stopwatch.GetElapsedTime(start, arrived).TotalMilliseconds);
            }
            catch (TimeoutException)
            {
                missed++;
            }

            await audit.UntilQuietAsync(Settle, RoundLimit, $"{design}: quiet after round {r}", ct);
        }

        sample.Note = missed == 0 ? "" : $"{missed} of {rounds} rounds not corrected within {RoundLimit.TotalSeconds:F0} s";
        return sample;
    }
}
