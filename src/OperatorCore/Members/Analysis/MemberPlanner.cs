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
    /// <summary>The corrections the analysis planned, in order; none when the verification is finished.</summary>
    public IReadOnlyList<PlannedCorrection> Corrections => Analysis?.Corrections ?? [];

    /// <summary>
    /// The member refused the operator identity while it was read: no command is run as it, and each correction is
    /// shown not applied with the member's reason (as running it would have answered).
    /// </summary>
    public IdentityRefusal? OperatorRefused => Read.RefusedIdentities.FirstOrDefault(r => r.Identity == IdentityRefusal.Operator);

    /// <summary>The commands the edge runs for <see cref="Corrections"/>, one each, in the same order; none when the operator was refused.</summary>
    public IReadOnlyList<MemberCommand> Commands => OperatorRefused is null ? [.. Corrections.Select(c => new MemberCommand(c.Database, c.Command))] : [];
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
    /// (<paramref name="outcomes"/> in the order of <see cref="MemberPlan.Commands"/>, one each), or, when the operator
    /// was refused, not applied with the member's reason.
    /// </summary>
    public static MemberVerification Result(MemberPlan plan, IReadOnlyList<CommandResult> outcomes)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(outcomes);
        var commands = plan.Commands.Count;
        if (outcomes.Count != commands)
        {
            throw new ArgumentException($"{outcomes.Count} outcome(s) for {commands} planned command(s)", nameof(outcomes));
        }

        if (plan.OperatorRefused is { } refused)
        {
            outcomes = [.. plan.Corrections.Select(_ => CommandResult.Refused(refused.Reason))];
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
