using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace HipaaMongo.Chart.Tests;

/// <summary>
/// The Dockerfile's build stage, checked without a container engine (none runs here): its restore step gets every
/// project the operator references, and restoring from exactly the files it copies succeeds, for the runtime
/// identifier the publish uses.
/// </summary>
public sealed partial class ImageBuildTests
{
    private static readonly string Dockerfile = Path.Combine(Tool.RepoRoot, "Dockerfile");

    [Fact]
    public void The_restore_stage_copies_every_project_the_operator_references()
    {
        var copied = CopiedBeforeRestore().Where(f => f.EndsWith(".csproj", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

        var referenced = Closure("src/Operator/Operator.csproj").Order(StringComparer.Ordinal);

        Assert.Equal(referenced, copied);
    }

    [Fact(Timeout = 300_000)]
    public async Task Restoring_from_the_copied_files_alone_succeeds()
    {
        var context = Directory.CreateTempSubdirectory("hm-image-restore-").FullName;
        try
        {
            foreach (var file in CopiedBeforeRestore())
            {
                var target = Path.Combine(context, file);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(Path.Combine(Tool.RepoRoot, file), target);
            }
            Assert.Contains("dotnet restore src/Operator/Operator.csproj -r", RestoreLine(), StringComparison.Ordinal);

            var result = await TestSupport.Tool.RunAsync("dotnet", ["restore", Path.Combine(context, "src/Operator/Operator.csproj"), "-r", "linux-x64"],
                TimeSpan.FromMinutes(4), ct: TestContext.Current.CancellationToken);

            Assert.True(result.Code == 0, "the Dockerfile's restore stage fails:\n" + result.Stdout + result.Stderr);
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    // The repository files (relative paths) the build stage copies before its restore runs.
    private static List<string> CopiedBeforeRestore()
    {
        var files = new List<string>();
        foreach (var line in Lines().TakeWhile(l => !l.StartsWith("RUN ", StringComparison.Ordinal) || !l.Contains("dotnet restore", StringComparison.Ordinal)))
        {
            if (CopyLine().Match(line) is { Success: true } copy && !line.Contains("--from", StringComparison.Ordinal))
            {
                files.AddRange(copy.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
        }
        Assert.NotEmpty(files);
        return files;
    }

    private static string RestoreLine() => Lines().First(l => l.Contains("dotnet restore", StringComparison.Ordinal));

    // The Dockerfile's lines with continuations joined.
    private static IEnumerable<string> Lines() =>
        File.ReadAllText(Dockerfile).Replace("\\\n", " ", StringComparison.Ordinal).Split('\n').Select(l => l.Trim());

    // Every project file reachable from the given one through ProjectReference, as repository-relative paths.
    private static HashSet<string> Closure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }
            var dir = Path.GetDirectoryName(Path.Combine(Tool.RepoRoot, next))!;
            foreach (var reference in XDocument.Load(Path.Combine(Tool.RepoRoot, next)).Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(dir, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(Tool.RepoRoot, full).Replace('\\', '/'));
            }
        }
        return seen;
    }

    // COPY <source>... <destination>: every word but the last is a source.
    [GeneratedRegex(@"^COPY\s+(?<sources>(\S+\s+)+)\S+$")]
    private static partial Regex CopyLine();
}
