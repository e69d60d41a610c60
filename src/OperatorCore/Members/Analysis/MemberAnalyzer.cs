using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Members.Analysis;

/// <summary>
/// The pure reading of one member's replies: the evaluator's parameters, its role, health and served
/// certificate expiry, the runtime corrections to run (in order) and the drift only a restart or an
/// administrator can fix. No I/O, no clock; never throws for any reply shape.
/// </summary>
public static class MemberAnalyzer
{
    public static MemberAnalysis Analyze(MemberSnapshot snapshot, MemberExpectations expected)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(expected);
        var corrections = new List<PlannedCorrection>();
        var uncorrectable = new List<string>();
        var tlsModeNow = BsonRead.String(BsonRead.At(snapshot.Parameters, "tlsMode"));
        foreach (var reading in expected.Options.Select(o => OptionReading.Read(o, snapshot)).Where(r => r.State == ReadState.Different))
        {
            Classify(reading, tlsModeNow, corrections, uncorrectable);
        }

        if (CorrectionRules.ScramIterations(BsonRead.At(snapshot.Parameters, "scramSHA256IterationCount"), expected.MinimumScramSha256IterationCount) is { } scram)
        {
            corrections.Add(scram);
        }

        corrections.AddRange(ProfilerCorrections(snapshot, expected));
        corrections.AddRange(LdapGroupRoles.Corrections(snapshot, expected));
        uncorrectable.AddRange(Accounts.UsersOutside(snapshot.UsersInfo, expected)?.Select(Accounts.UserSentence) ?? []);
        uncorrectable.AddRange(Accounts.DeclaredWithOtherGrants(snapshot.UsersInfo, expected)?.Select(a => Accounts.DeclaredUserSentence(a, expected)) ?? []);
        uncorrectable.AddRange(Accounts.RolesOutside(snapshot, expected)?.Select(Accounts.RoleSentence) ?? []);
        uncorrectable.AddRange(RuntimeAudit.Read(snapshot.AuditConfig, expected).Sentences);
        var cipher = expected.Options.FirstOrDefault(o => o.Path == "security.encryptionCipherMode")?.Value;
        uncorrectable.AddRange(EncryptionStatus.Read(snapshot.ServerStatus).Sentences(cipher));
        uncorrectable.AddRange(ReplicaHosts.Outside(snapshot.ReplSetConfig, expected)?.Select(ReplicaHosts.Sentence) ?? []);
        uncorrectable.AddRange(ServerBuild.Differences(snapshot.BuildInfo, expected.Edition, expected.Version)?
            .Select(d => d + " (spec.image runs another server; only a change of image fixes it)") ?? []);
        var parameters = ParameterReader.Read(snapshot, expected);
        return new MemberAnalysis(
            parameters,
            ReplicaState.Role(snapshot.ReplSetStatus),
            parameters.ReplicaHealthy == true,
            ReplicaState.TlsExpiry(snapshot.ServerStatus),
            corrections,
            uncorrectable);
    }

    private static void Classify(OptionReading r, string? tlsModeNow, List<PlannedCorrection> corrections, List<string> uncorrectable)
    {
        var desired = ShownValue.Of(r.Option.Path, r.Option.Value);
        if (r.Parameter is null)
        {
            var requirement = r.Option.Expectation == Expectation.AbsentOrSafe ? $"absent or {desired}" : desired;
            uncorrectable.Add($"startup option {r.Option.Path} is {ShownValue.Of(r.Option.Path, r.Found)}; the baseline requires {requirement} "
                + "(only a restart with the rendered configuration changes it)");
            return;
        }

        var remedy = CorrectionRules.For(r.Parameter, r.Found!, r.Option.Value, tlsModeNow);
        corrections.AddRange(remedy.Commands);
        if (remedy.NotCorrectedBecause is { } why)
        {
            uncorrectable.Add($"{r.Parameter} is {ShownValue.Of(r.Parameter, r.Found)}; the baseline requires {desired} (not corrected at runtime: {why})");
        }
    }

    // The rendered operationProfiling.mode "off" means profiler level 0 on every database (secure-baseline.md 6).
    private static IEnumerable<PlannedCorrection> ProfilerCorrections(MemberSnapshot snapshot, MemberExpectations expected)
    {
        var wantsOff = expected.Options.Any(o => o.Path == "operationProfiling.mode" && Equals(o.Value, "off"));
        if (!wantsOff || snapshot.ProfileLevels is null)
        {
            return [];
        }

        return snapshot.ProfileLevels
            .Where(kv => kv.Key.Length > 0 && kv.Value is not null)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => CorrectionRules.ProfilerOff(kv.Key, kv.Value))
            .OfType<PlannedCorrection>();
    }
}
