using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using HipaaMongo.Operator.Reconciliation;

namespace HipaaMongo.Operator.Tests.Architecture;

/// <summary>
/// The pure core (src/OperatorCore) cannot reach the I/O packages, so that no edit inside it can start using them:
/// neither its project nor any project it references, transitively, names the MongoDB driver, the generic host,
/// ASP.NET Core or the I/O projects (ControllerRuntime, Kmip, Operator); the packages restored for it include none
/// of them; and the compiled assembly references none. What the framework itself offers (the clock, System.IO)
/// is read from the IL by <see cref="PureCoreTests"/>.
/// </summary>
public sealed class CoreProjectTests
{
    private const string CoreProject = "src/OperatorCore/OperatorCore.csproj";

    // Packages, assemblies and projects the core must not reach (a name or a name prefix followed by '.').
    private static readonly string[] ForbiddenPackages =
        ["MongoDB.Driver", "Microsoft.Extensions.Hosting", "Microsoft.AspNetCore", "System.CommandLine", "prometheus-net"];

    private static readonly string[] ForbiddenAssemblies =
        ["MongoDB.Driver", "Microsoft.Extensions.Hosting", "Microsoft.AspNetCore", "HipaaMongo.ControllerRuntime", "HipaaMongo.Kmip", "hipaa-mongo"];

    // The pure half of the controller runtime (object keys, conditions, finalizers) is the core's to use.
    private static readonly string[] Allowed = ["HipaaMongo.ControllerRuntime.Meta"];

    private static readonly string[] ForbiddenProjects = ["ControllerRuntime.csproj", "Kmip.csproj", "Operator.csproj", "LocalCluster.csproj", "MongodSimulator.csproj"];

    [Fact]
    public void The_core_project_and_what_it_references_name_no_io_package()
    {
        var reached = new List<string>();
        var violations = ProjectViolations(RepoPaths.At(CoreProject), reached);

        Assert.Contains(reached, p => p.EndsWith("Entities.csproj", StringComparison.Ordinal));
        Assert.True(violations.Count == 0, "the core reaches I/O through its project references:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void No_package_restored_for_the_core_is_an_io_package()
    {
        var libraries = RestoredPackages(Assets("OperatorCore"));
        Assert.Contains(libraries, l => l == "MongoDB.Bson");

        var violations = libraries.Where(l => IsForbidden(l, ForbiddenPackages)).ToList();

        Assert.True(violations.Count == 0, "packages restored for the core, transitively: " + string.Join(", ", violations));
    }

    [Fact]
    public void The_core_assembly_references_no_io_assembly()
    {
        var violations = AssemblyViolations(PureCoreTests.Core);

        Assert.True(violations.Count == 0, "the core assembly references: " + string.Join(", ", violations));
    }

    // Each guard above, shown able to fail.

    [Fact]
    public void A_driver_reference_two_projects_down_is_caught()
    {
        var dir = Directory.CreateTempSubdirectory("core-project-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "Core.csproj"),
                """<Project><ItemGroup><ProjectReference Include="Lower\Lower.csproj" /></ItemGroup></Project>""");
            Directory.CreateDirectory(Path.Combine(dir.FullName, "Lower"));
            File.WriteAllText(Path.Combine(dir.FullName, "Lower", "Lower.csproj"),
                """<Project><ItemGroup><PackageReference Include="MongoDB.Driver" /><FrameworkReference Include="Microsoft.AspNetCore.App" /><ProjectReference Include="..\..\ControllerRuntime\ControllerRuntime.csproj" /></ItemGroup></Project>""");

            var violations = ProjectViolations(Path.Combine(dir.FullName, "Core.csproj"), []);

            Assert.Contains(violations, v => v.Contains("MongoDB.Driver", StringComparison.Ordinal));
            Assert.Contains(violations, v => v.Contains("Microsoft.AspNetCore.App", StringComparison.Ordinal));
            Assert.Contains(violations, v => v.Contains("ControllerRuntime.csproj", StringComparison.Ordinal));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_operators_restored_packages_and_assembly_are_caught()
    {
        Assert.Contains("MongoDB.Driver", RestoredPackages(Assets("Operator")).Where(l => IsForbidden(l, ForbiddenPackages)));
        Assert.Contains("MongoDB.Driver", AssemblyViolations(typeof(HipaaMongoReconciler).Assembly));
    }

    [Theory]
    [InlineData("MongoDB.Driver", true)]
    [InlineData("MongoDB.Driver.Core", true)]
    [InlineData("MongoDB.Bson", false)]
    [InlineData("HipaaMongo.ControllerRuntime", true)]
    [InlineData("HipaaMongo.ControllerRuntime.Meta", false)]
    public void A_name_is_forbidden_by_itself_or_as_a_prefix_of_a_dotted_package(string name, bool forbidden)
    {
        Assert.Equal(forbidden, IsForbidden(name, ["MongoDB.Driver", "HipaaMongo.ControllerRuntime"]));
    }

    // Every PackageReference, FrameworkReference and ProjectReference of the project and of the projects it
    // references, transitively, that names something forbidden. reached collects the projects read.
    private static List<string> ProjectViolations(string project, List<string> reached)
    {
        var violations = new List<string>();
        var queue = new Queue<string>([Path.GetFullPath(project)]);
        while (queue.TryDequeue(out var path))
        {
            if (reached.Contains(path))
            {
                continue;
            }
            reached.Add(path);
            var items = XDocument.Load(path).Descendants().Where(e => e.Attribute("Include") is not null).ToList();
            foreach (var item in items)
            {
                var include = item.Attribute("Include")!.Value;
                switch (item.Name.LocalName)
                {
                    case "PackageReference" when IsForbidden(include, ForbiddenPackages):
                    case "FrameworkReference":
                        violations.Add($"{Path.GetFileName(path)}: {item.Name.LocalName} {include}");
                        break;
                    case "ProjectReference":
                        var referenced = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, include.Replace('\\', '/')));
                        if (ForbiddenProjects.Contains(Path.GetFileName(referenced)))
                        {
                            violations.Add($"{Path.GetFileName(path)}: ProjectReference {include}");
                        }
                        else if (File.Exists(referenced))
                        {
                            queue.Enqueue(referenced);
                        }
                        break;
                }
            }
        }
        return violations;
    }

    // The package names in a project's restore graph (project.assets.json "libraries": direct and transitive).
    private static List<string> RestoredPackages(string assetsFile)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(assetsFile));
        return
        [
            .. json.RootElement.GetProperty("libraries").EnumerateObject()
                .Where(l => l.Value.GetProperty("type").GetString() == "package")
                .Select(l => l.Name[..l.Name.IndexOf('/', StringComparison.Ordinal)]),
        ];
    }

    private static List<string> AssemblyViolations(Assembly assembly) =>
        [.. assembly.GetReferencedAssemblies().Select(a => a.Name!).Where(n => IsForbidden(n, ForbiddenAssemblies))];

    private static bool IsForbidden(string name, string[] forbidden) =>
        forbidden.Any(f => name.Equals(f, StringComparison.OrdinalIgnoreCase) || name.StartsWith(f + ".", StringComparison.OrdinalIgnoreCase))
        && !Allowed.Contains(name, StringComparer.OrdinalIgnoreCase);

    // The restore output of a project of this build: <artifacts>/obj/<project>/project.assets.json, beside the
    // <artifacts>/bin/Operator.Tests/<configuration>/ this test runs from.
    private static string Assets(string project)
    {
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "obj", project, "project.assets.json"));
        Assert.True(File.Exists(path), $"no restore output at {path}: build the solution first");
        return path;
    }
}
