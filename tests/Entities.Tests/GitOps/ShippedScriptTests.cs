using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace HipaaMongo.Entities.Tests.GitOps;

/// <summary>The script users install is the script the tests run, and the rules beyond the phase fixtures.</summary>
public class ShippedScriptTests
{
    private const string Key = "resource.customizations.health.hipaa.mongooperator.io_HipaaMongo";

    [Fact]
    public void The_argocd_cm_patch_embeds_health_lua_verbatim()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, "config", "argocd", "argocd-cm-patch.yaml"))));
        var data = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode).Children["data"];
        var embedded = ((YamlScalarNode)data.Children[Key]).Value;
        Assert.Equal(File.ReadAllText(LuaRunner.ScriptPath), embedded);
    }

    [Fact]
    public void The_kustomize_component_reads_health_lua_under_the_documented_key() =>
        Assert.Contains($"{Key}=health.lua", File.ReadAllText(Path.Combine(RepoPaths.Root, "config", "argocd", "kustomization.yaml")));

    private static JsonObject Current(params (string Type, string Status, string Reason)[] conditions) => new()
    {
        ["metadata"] = new JsonObject { ["generation"] = 4 },
        ["status"] = new JsonObject
        {
            ["observedGeneration"] = 4,
            ["conditions"] = new JsonArray([.. conditions.Select(c => (JsonNode)new JsonObject
            {
                ["type"] = c.Type, ["status"] = c.Status, ["reason"] = c.Reason, ["message"] = "",
            })]),
        },
    };

    [Theory]
    [InlineData("SpecInvalid", "Degraded")]
    [InlineData("MembersNotReady", "Progressing")]
    public void Ready_False_is_Degraded_only_with_a_terminal_reason(string reason, string expected) =>
        Assert.Equal(expected, LuaRunner.Run(Current(("Ready", "False", reason))).Status);

    [Fact]
    public void Ready_Unknown_is_Progressing() =>
        Assert.Equal("Progressing", LuaRunner.Run(Current(("Ready", "Unknown", "Pending"))).Status);

    [Fact]
    public void The_first_true_abnormal_condition_wins_as_in_kstatus() =>
        Assert.Equal("Degraded", LuaRunner.Run(Current(("Stalled", "True", "SpecInvalid"), ("Reconciling", "True", "Progressing"))).Status);

    [Fact]
    public void An_empty_message_falls_back_to_the_reason() =>
        Assert.Equal("Verified", LuaRunner.Run(Current(("Ready", "True", "Verified"))).Message);

    [Fact]
    public void Observed_generation_without_conditions_is_Progressing() =>
        Assert.Equal("Progressing", LuaRunner.Run(Current()).Status);
}
