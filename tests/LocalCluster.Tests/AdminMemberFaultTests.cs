using HipaaMongo.LocalCluster.Hosting;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>POST /admin/members/faults: parsed and handed to the host's member simulation, its refusals answered as 400.</summary>
public sealed class AdminMemberFaultTests
{
    [Fact]
    public async Task A_member_fault_reaches_the_handler_with_its_peers_and_delay()
    {
        var seen = new List<MemberFaultRequest>();
        var hook = new MemberFaultHook { Handler = r => { seen.Add(r); return Task.FromResult<string?>(null); } };
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { MemberFaults = hook });
        using var http = RawHttp.Create(server);

        var (code, _) = await RawHttp.SendAsync(http, HttpMethod.Post, "/admin/members/faults",
            """{"namespace":"clinical","pod":"phi-db-1","fault":"slow-disk","peers":["phi-db-0"],"delay":"1m30s"}""");

        Assert.Equal(200, code);
        var request = Assert.Single(seen);
        Assert.Equal(("clinical", "phi-db-1", "slow-disk", TimeSpan.FromSeconds(90)), (request.Namespace, request.Pod, request.Fault, request.Delay));
        Assert.Equal(["phi-db-0"], request.Peers);
    }

    [Theory]
    [InlineData("""{"namespace":"clinical","fault":"kill"}""", "member fault needs \"pod\"")]
    [InlineData("""{"namespace":"clinical","pod":"p","fault":"slow-disk","delay":"-1s"}""", "invalid \"delay\"")]
    [InlineData("""{"namespace":"clinical","pod":"p","fault":"explode"}""", "refused: explode")]
    public async Task Bad_requests_and_refusals_are_400_with_the_reason(string body, string message)
    {
        var hook = new MemberFaultHook { Handler = r => Task.FromResult<string?>(r.Fault == "explode" ? "refused: explode" : null) };
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { MemberFaults = hook });
        using var http = RawHttp.Create(server);

        var (code, status) = await RawHttp.SendAsync(http, HttpMethod.Post, "/admin/members/faults", body);

        Assert.Equal(400, code);
        Assert.Contains(message, (string?)status!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_member_simulation_the_endpoint_says_so()
    {
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { MemberFaults = new MemberFaultHook() });
        using var http = RawHttp.Create(server);

        var (code, status) = await RawHttp.SendAsync(http, HttpMethod.Post, "/admin/members/faults", """{"namespace":"a","pod":"b","fault":"kill"}""");

        Assert.Equal(400, code);
        Assert.Contains("--simulate workloads", (string?)status!["message"], StringComparison.Ordinal);
    }
}
