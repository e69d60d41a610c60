using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

public sealed class MemberStatusMapperTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Expiry = new(2027, 2, 23, 6, 0, 0, TimeSpan.Zero);
    private static readonly MemberParameters Healthy = new() { ReplicaHealthy = true };

    private static MemberVerification Clean() =>
        new("phi-db-0", At, true, null, MemberRole.Primary, Expiry, Healthy, [], []);

    [Fact]
    public void A_clean_verification_is_healthy_with_its_times()
    {
        var status = MemberStatusMapper.ToStatus(Clean());
        Assert.Equal("phi-db-0", status.Name);
        Assert.Equal(MemberRole.Primary, status.Role);
        Assert.Equal(MemberHealth.Healthy, status.Health);
        Assert.Equal(At.UtcDateTime, status.VerifiedAt);
        Assert.Equal(Expiry.UtcDateTime, status.TlsExpiry);
        Assert.Null(status.Drift);
    }

    [Theory]
    [InlineData("17", "17")]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_kmip_key_id_the_member_reports_is_shown_and_no_report_shows_none(string? reported, string? shown)
    {
        var v = Clean() with { Parameters = Healthy with { KmipKeyId = reported } };

        Assert.Equal(shown, MemberStatusMapper.ToStatus(v).KmipKeyId);
    }

    [Fact]
    public void Applied_corrections_are_drift_but_stay_healthy()
    {
        var v = Clean() with { Corrections = [new RuntimeCorrection("tlsMode", "'preferTLS'", "'requireTLS'", true, null)] };
        var status = MemberStatusMapper.ToStatus(v);
        Assert.Equal(MemberHealth.Healthy, status.Health);
        Assert.Equal(["tlsMode"], status.Drift);
    }

    [Fact]
    public void Failed_corrections_and_uncorrectable_drift_are_unhealthy()
    {
        var failed = Clean() with { Corrections = [new RuntimeCorrection("tlsMode", "'allowTLS'", "'requireTLS'", false, "Illegal state transition")] };
        Assert.Equal(MemberHealth.Unhealthy, MemberStatusMapper.ToStatus(failed).Health);
        var drift = Clean() with { Uncorrectable = ["startup option security.javascriptEnabled is true; the baseline requires false"] };
        var status = MemberStatusMapper.ToStatus(drift);
        Assert.Equal(MemberHealth.Unhealthy, status.Health);
        Assert.Equal(drift.Uncorrectable, status.Drift);
    }

    [Fact]
    public void Unreachable_members_are_unknown_and_not_verified()
    {
        var status = MemberStatusMapper.ToStatus(MemberVerification.Unreachable("phi-db-2", At, "connection refused"));
        Assert.Equal(MemberHealth.Unknown, status.Health);
        Assert.Equal(MemberRole.Unknown, status.Role);
        Assert.Null(status.VerifiedAt);
    }

    [Fact]
    public void Unknown_replica_health_is_unknown()
    {
        var status = MemberStatusMapper.ToStatus(Clean() with { Parameters = new MemberParameters() });
        Assert.Equal(MemberHealth.Unknown, status.Health);
        Assert.Equal(MemberHealth.Unhealthy, MemberStatusMapper.ToStatus(Clean() with { Parameters = new MemberParameters { ReplicaHealthy = false } }).Health);
    }

    [Fact]
    public void Drift_is_capped_at_the_schema_limit()
    {
        var many = Enumerable.Range(0, 100).Select(i => $"finding {i}").ToList();
        var drift = MemberStatusMapper.ToStatus(Clean() with { Uncorrectable = many }).Drift!;
        Assert.Equal(64, drift.Count);
        Assert.Equal("finding 62", drift[62]);
        Assert.Equal("and 37 more", drift[63]);
    }
}
