namespace HipaaMongo.TestSupport;

/// <summary>The real mongosh that scripts/install-mongosh.sh puts in .tools (make prereqs runs it), without telemetry.</summary>
public static class Mongosh
{
    public static string Path => RepoPaths.Tools("node_modules", ".bin", "mongosh");

    public static Task<ToolResult> RunAsync(IEnumerable<string> args, TimeSpan bound, CancellationToken ct = default) =>
        Tool.RunAsync(Path, args, bound, env: new Dictionary<string, string> { ["MONGOSH_DISABLE_TELEMETRY"] = "1" }, ct: ct);
}
