using HipaaMongo.Entities;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// What one verification of one member does, decided from its read alone: the member's verification is already
/// final (<see cref="Finished"/>: it could not be read, or its replies could not be analysed), or the analysis holds
/// the runtime corrections to run (<see cref="Commands"/>, in the analysis's order) before the result is known.
/// </summary>
public sealed record MemberPlan(MemberRead Read, MemberAnalysis? Analysis, MemberVerification? Finished)
{
    /// <summary>The corrections to run as the operator, in order; none when the verification is finished.</summary>
    public IReadOnlyList<PlannedCorrection> Corrections => Analysis?.Corrections ?? [];

    /// <summary>The commands the edge runs for <see cref="Corrections"/>, one each, in the same order.</summary>
    public IReadOnlyList<MemberCommand> Commands => [.. Corrections.Select(c => new MemberCommand(c.Database, c.Command))];
}

/// <summary>
/// The decide half of a member's verification, pure: a read becomes a plan (<see cref="Plan"/>), and the plan with the
/// outcomes of its commands becomes the member's verification (<see cref="Result"/>). The edge reads and runs; the
/// step's actuator carries a plan out between the two.
/// </summary>
public static class MemberPlanner
{
    /// <summary>The plan for one read: finished when the member was not read or its replies cannot be analysed.</summary>
    public static MemberPlan Plan(MemberRead read, MemberExpectations expected)
    {
        ArgumentNullException.ThrowIfNull(read);
        ArgumentNullException.ThrowIfNull(expected);
        if (read.Snapshot is not { } snapshot)
        {
            return new(read, null, MemberVerification.Unreachable(read.PodName, read.ObservedAt, read.Failure ?? "not read") with
            {
                RefusedIdentities = read.RefusedIdentities,
            });
        }

        return Analyse(snapshot, expected) is { } analysis
            ? new(read, analysis, null)
            : new(read, null, new MemberVerification(read.PodName, read.ObservedAt, true,
                $"{read.PodName} answered with replies that could not be analysed", MemberRole.Unknown, null, null, [], []));
    }

    /// <summary>
    /// The member's verification once the plan's commands ran: each correction applied or not by its own outcome
    /// (<paramref name="outcomes"/> in the order of <see cref="MemberPlan.Commands"/>, one each).
    /// </summary>
    public static MemberVerification Result(MemberPlan plan, IReadOnlyList<CommandResult> outcomes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count != plan.Corrections.Count)
        {
            throw new ArgumentException($"{outcomes.Count} outcome(s) for {plan.Corrections.Count} planned correction(s)", nameof(outcomes));
        }

        if (plan.Finished is { } finished)
        {
            return finished;
        }

        var analysis = plan.Analysis!;
        var corrections = plan.Corrections
            .Select((c, i) => new RuntimeCorrection(c.Setting, c.Found, c.Desired, outcomes[i].Ok, outcomes[i].Error))
            .ToList();
        return new MemberVerification(plan.Read.PodName, plan.Read.ObservedAt, true, null, analysis.Role, analysis.TlsExpiry, analysis.Parameters,
            corrections, analysis.Uncorrectable)
        {
            RefusedIdentities = plan.Read.RefusedIdentities,
        };
    }

    // The analysis is pure but reads member-provided shapes; a shape it cannot read is the member's doing.
    private static MemberAnalysis? Analyse(MemberSnapshot snapshot, MemberExpectations expected)
    {
        try
        {
            return MemberAnalyzer.Analyze(snapshot, expected);
        }
        catch (Exception e) when (e is InvalidCastException or KeyNotFoundException or FormatException or BsonException
            or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }
}
