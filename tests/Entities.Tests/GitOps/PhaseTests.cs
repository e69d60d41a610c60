using HipaaMongo.Entities.Status;

namespace HipaaMongo.Entities.Tests.GitOps;

/// <summary>Every phase fixture through the real Lua 5.1 interpreter and through KStatus.Compute.</summary>
public class PhaseTests
{
    [Theory]
    [MemberData(nameof(PhaseTable.Names), MemberType = typeof(PhaseTable))]
    public void Argo_CD_health_script_reports_the_documented_status(string fixture)
    {
        var expected = PhaseTable.Row(fixture);
        var health = LuaRunner.Run(Fixtures.Load(fixture));
        Assert.Equal(expected.Argo, health.Status);
        Assert.Equal(expected.ArgoMessage, health.Message);
    }

    [Theory]
    [MemberData(nameof(PhaseTable.Names), MemberType = typeof(PhaseTable))]
    public void Kstatus_reports_the_documented_status(string fixture)
    {
        var expected = PhaseTable.Row(fixture);
        var result = KStatus.Compute(Fixtures.Load(fixture));
        Assert.Equal(expected.KStatus, result.Status);
        Assert.Equal(expected.KStatusMessage, result.Message);
    }

    [Theory]
    [MemberData(nameof(PhaseTable.Names), MemberType = typeof(PhaseTable))]
    public void Flux_and_Argo_CD_agree_except_where_documented(string fixture)
    {
        var row = PhaseTable.Row(fixture);
        var resource = Fixtures.Load(fixture);
        var flux = PhaseTable.ArgoEquivalent(KStatus.Compute(resource).Status);
        var argo = LuaRunner.Run(resource).Status;
        if (row.Divergence is null)
            Assert.Equal(flux, argo);
        else
            Assert.NotEqual(flux, argo);
    }

    [Fact]
    public void Every_fixture_has_a_row_and_every_row_a_fixture()
    {
        Assert.Equal(
            PhaseTable.All.Select(p => p.Fixture).Order(),
            Fixtures.Names().Order());
    }

    [Fact]
    public void Only_the_empty_status_and_the_safeguard_breach_diverge()
    {
        // Anything else diverging would mean Flux and Argo CD disagree on whether a rollout finished.
        Assert.Equal(
            ["01-created", "06-ready-safeguard-false"],
            PhaseTable.All.Where(p => p.Divergence is not null).Select(p => p.Fixture));
    }
}
