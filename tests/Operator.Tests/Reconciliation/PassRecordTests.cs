using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Evidence;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Tests.Compliance;

namespace HipaaMongo.Operator.Tests.Reconciliation;

public sealed class PassRecordTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 5, 0, 0, TimeSpan.Zero);

    private static PassRecord Sample(string keyId) => new()
    {
        Announced = new Dictionary<string, Outcome> { ["HIPAA-164.312(b)"] = Outcome.Unknown, ["MDB-SC-NETWORK"] = Outcome.Pass },
        Warned = new Dictionary<string, IReadOnlyList<string>> { ["verify"] = ["could not verify phi-db-2: unreachable"] },
        Verification = new LastVerification(new VerificationHistory(At, 3, "phi-db-0/uid/10.0.0.1/True", true) { Duration = TimeSpan.FromMilliseconds(250) },
        [
            new MemberVerification("phi-db-0", At, true, null, MemberRole.Primary, At.AddDays(90), Observations.Hardened(keyId, "{}"),
                [new RuntimeCorrection("redactClientLogData", "false", "true", true, null)], []),
            MemberVerification.Unreachable("phi-db-2", At, "its pod is not Ready"),
        ]),
    };

    [Fact]
    public void A_record_reads_back_as_written_with_the_declared_kmip_key_restored()
    {
        var record = Sample("kmip-key-42");
        var json = PassRecordCodec.Serialize(record);
        var read = PassRecordCodec.Deserialize(json)!;

        Assert.DoesNotContain("kmip-key-42", json, StringComparison.Ordinal);
        Assert.Equal(json, PassRecordCodec.Serialize(read));
        Assert.False(record.DiffersFrom(read));
        var restored = PassRecordCodec.Restore(read.Verification!.Members, "kmip-key-42");
        Assert.Equal("kmip-key-42", restored[0].Parameters!.KmipKeyId);
        Assert.Equal(record.Verification!.Members[0].Corrections.Single(), restored[0].Corrections.Single());
        Assert.Equal(record.Verification.Members[0].Parameters!.RedactClientLogData, restored[0].Parameters!.RedactClientLogData);
        Assert.Equal(record.Verification.History, read.Verification.History);
        Assert.Equal(Outcome.Unknown, read.Announced["HIPAA-164.312(b)"]);
    }

    [Fact]
    public void A_key_that_is_not_the_declared_one_stays_a_digest_and_still_fails_custody()
    {
        var read = PassRecordCodec.Deserialize(PassRecordCodec.Serialize(Sample("someone-elses-key")))!;
        var restored = PassRecordCodec.Restore(read.Verification!.Members, "kmip-key-42");
        Assert.StartsWith("sha256:", restored[0].Parameters!.KmipKeyId, StringComparison.Ordinal);
        Assert.NotEqual("kmip-key-42", restored[0].Parameters!.KmipKeyId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"announced\": 7}")]
    public void An_unreadable_record_is_none(string text) => Assert.Null(PassRecordCodec.Deserialize(text));

    [Fact]
    public void A_member_problem_is_warned_once_and_again_only_after_it_cleared()
    {
        var empty = new Dictionary<string, IReadOnlyList<string>>();
        var first = MemberWarnings.Plan(empty, "verify", ["down"]);
        var again = MemberWarnings.Plan(first.Warned, "verify", ["down"]);
        var cleared = MemberWarnings.Plan(again.Warned, "verify", []);
        var back = MemberWarnings.Plan(cleared.Warned, "verify", ["down"]);

        Assert.Equal(["down"], first.Fresh);
        Assert.Empty(again.Fresh);
        Assert.Empty(cleared.Warned);
        Assert.Equal(["down"], back.Fresh);
    }
}
