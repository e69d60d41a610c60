using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HipaaMongo.Entities.Tests.GitOps;

/// <summary>What an Argo CD health script returned.</summary>
public sealed record ArgoHealth(string Status, string Message);

/// <summary>
/// Runs config/argocd/health.lua in the real Debian lua5.1 interpreter the way Argo CD does: the object as the
/// global <c>obj</c> (a Lua table), the script's return value read as hs.status / hs.message, and the string, os,
/// io and math libraries removed (Argo CD leaves them out unless useOpenLibs is set).
/// </summary>
internal static class LuaRunner
{
    public static string ScriptPath { get; } = Path.Combine(RepoPaths.Root, "config", "argocd", "health.lua");

    public const string MissingInterpreter =
        "lua5.1 is not installed: run scripts/install-lua.sh (Debian package lua5.1) to test the Argo CD health script";

    public static ArgoHealth Run(JsonObject resource) => RunAll([resource])[0];

    /// <summary>Evaluates many objects in one interpreter, each with a fresh load of the script.</summary>
    public static IReadOnlyList<ArgoHealth> RunAll(IReadOnlyList<JsonObject> resources)
    {
        var harness = Path.Combine(Path.GetTempPath(), $"hm-health-{Guid.NewGuid():N}.lua");
        File.WriteAllText(harness, Harness(resources));
        try
        {
            var (code, stdout, stderr) = Execute(Interpreter(), harness);
            Assert.True(code == 0, $"lua5.1 failed ({code}): {stderr}");
            var results = stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries)
                .Select(r => r.Split('\n', 2))
                .Select(r => new ArgoHealth(r[0], r.Length > 1 ? r[1] : ""))
                .ToList();
            Assert.True(results.Count == resources.Count, $"unexpected harness output: {stdout}");
            return results;
        }
        finally
        {
            File.Delete(harness);
        }
    }

    // Each result is "status\nmessage\0", so messages may hold newlines.
    private static string Harness(IReadOnlyList<JsonObject> resources) => $$"""
        local objects = { {{string.Join(",\n", resources.Select(ToLua))}} }
        local write, type, tostring, error, ipairs = io.write, type, tostring, error, ipairs
        string, os, io, math, debug = nil, nil, nil, nil, nil
        for _, o in ipairs(objects) do
          obj = o
          local hs = dofile({{Quote(ScriptPath)}})
          if type(hs) ~= "table" or type(hs.status) ~= "string" then error("script did not return hs.status") end
          write(hs.status, "\n", tostring(hs.message or ""), "\0")
        end
        """;

    /// <summary>Finds lua5.1 on PATH; the failure names the script that installs it.</summary>
    public static string Interpreter()
    {
        var found = Find(Environment.GetEnvironmentVariable("PATH") ?? "");
        Assert.True(found is not null, MissingInterpreter);
        return found!;
    }

    public static string? Find(string searchPath) =>
        searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "lua5.1"))
            .FirstOrDefault(File.Exists);

    private static (int Code, string Stdout, string Stderr) Execute(string lua, string harness)
    {
        var start = new ProcessStartInfo(lua, [harness])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start lua5.1");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("lua5.1 did not finish within 60 s");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>A JSON value as a Lua table constructor, as Argo CD converts the object for its scripts.</summary>
    public static string ToLua(JsonNode? node) => node switch
    {
        null => "nil",
        JsonObject o => "{" + string.Join(", ", o.Select(p => $"[{Quote(p.Key)}] = {ToLua(p.Value)}")) + "}",
        JsonArray a => "{" + string.Join(", ", a.Select(ToLua)) + "}",
        JsonValue v => Scalar(v),
        _ => throw new ArgumentException("unsupported JSON node"),
    };

    private static string Scalar(JsonValue v) => v.GetValueKind() switch
    {
        JsonValueKind.String => Quote(v.GetValue<string>()),
        // JSON number text is also a valid Lua 5.1 numeric literal.
        JsonValueKind.Number => v.ToJsonString(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => "nil",
    };

    // Decimal escapes for every byte outside printable ASCII, so any text round-trips in Lua 5.1.
    private static string Quote(string text)
    {
        var builder = new StringBuilder("\"");
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (b is >= 0x20 and < 0x7f && b != '"' && b != '\\') builder.Append((char)b);
            else builder.Append('\\').Append(b.ToString("D3", CultureInfo.InvariantCulture));
        }

        return builder.Append('"').ToString();
    }
}
