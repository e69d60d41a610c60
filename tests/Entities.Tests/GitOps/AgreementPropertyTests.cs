using System.Text.Json.Nodes;
using HipaaMongo.Entities.Status;

namespace HipaaMongo.Entities.Tests.GitOps;

/// <summary>
/// Random statuses (seeded, so a failure reproduces) through both tools: whatever the operator writes, Argo CD
/// must never call Healthy what Flux still waits for, and never call anything but Degraded what Flux calls Failed.
/// </summary>
public class AgreementPropertyTests
{
    private static readonly string[] Types =
        ["Ready", "Reconciling", "Stalled", "TLSEnforced", "NetworkIsolated", "AuditLogging"];

    private static readonly string[] Statuses = ["True", "False", "Unknown"];
    private static readonly string[] Reasons = ["Verified", "SpecInvalid", "MembersNotReady", "Progressing"];

    private static JsonObject RandomResource(Random random)
    {
        var generation = random.Next(1, 4);
        var metadata = new JsonObject { ["name"] = "phi-db", ["generation"] = generation };
        if (random.Next(10) == 0) metadata["deletionTimestamp"] = "2026-11-25T06:00:00Z";
        var resource = new JsonObject { ["kind"] = "HipaaMongo", ["metadata"] = metadata };
        if (random.Next(8) == 0) return resource;
        var conditions = new JsonArray();
        foreach (var type in Types.OrderBy(_ => random.Next()).Take(random.Next(0, Types.Length + 1)))
        {
            conditions.Add(new JsonObject
            {
                ["type"] = type,
                ["status"] = Statuses[random.Next(Statuses.Length)],
                ["reason"] = Reasons[random.Next(Reasons.Length)],
                ["message"] = random.Next(3) == 0 ? "" : $"{type} message",
            });
        }

        var status = new JsonObject { ["conditions"] = conditions };
        if (random.Next(6) != 0) status["observedGeneration"] = random.Next(3) == 0 ? generation - 1 : generation;
        resource["status"] = status;
        return resource;
    }

    [Fact]
    public void Argo_CD_is_never_more_optimistic_than_Flux()
    {
        var random = new Random(20261125);
        var resources = Enumerable.Range(0, 400).Select(_ => RandomResource(random)).ToList();
        var argo = LuaRunner.RunAll(resources);
        for (var i = 0; i < resources.Count; i++)
        {
            var flux = KStatus.Compute(resources[i]).Status;
            var because = $"object {i}: {resources[i].ToJsonString()} -> kstatus {flux}, Argo CD {argo[i].Status}";
            if (argo[i].Status == "Healthy") Assert.True(flux == ReconcileStatus.Current, because);
            if (flux == ReconcileStatus.Failed) Assert.True(argo[i].Status == "Degraded", because);
            if (flux == ReconcileStatus.Terminating) Assert.True(argo[i].Status == "Progressing", because);
            Assert.Contains(argo[i].Status, (string[])["Healthy", "Progressing", "Degraded"]);
        }

        // The sample must reach every outcome, or the checks above prove little.
        Assert.Equal(
            [ReconcileStatus.InProgress, ReconcileStatus.Failed, ReconcileStatus.Current, ReconcileStatus.Terminating],
            resources.Select(r => KStatus.Compute(r).Status).Distinct().Order());
        Assert.Equal(["Degraded", "Healthy", "Progressing"], argo.Select(a => a.Status).Distinct().Order());
    }

    [Fact]
    public void A_missing_interpreter_is_reported_with_the_install_script()
    {
        Assert.Null(LuaRunner.Find(Path.Combine(Path.GetTempPath(), $"no-lua-{Guid.NewGuid():N}")));
        Assert.Contains("scripts/install-lua.sh", LuaRunner.MissingInterpreter);
    }
}
