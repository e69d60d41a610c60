using HipaaMongo.Operator.Reconciliation;

namespace HipaaMongo.Operator.Tests.Architecture;

/// <summary>
/// Dependencies between the operator's folders (namespaces) point one way: no folder reaches, directly or through
/// others, a sibling folder that reaches it back, at every level (Users and Reconciliation; Reconciliation/Apply and
/// Reconciliation/Drift). A reference is counted at the level where the two folders part: Users/X using
/// Reconciliation/Apply/Y is Users using Reconciliation. A folder and its own sub-folders are one unit: the parent
/// holds the contracts its sub-folders share and composes them. Read from the compiled IL, so a reference inside a
/// method body counts, and so does a parent folder's type used without a `using`. The operator's two assemblies
/// are read as one: a folder of the pure core (src/OperatorCore) and its namesake in src/Operator are one folder.
/// </summary>
public sealed class FolderDependencyTests
{
    private const string Root = "HipaaMongo.Operator";

    [Fact]
    public void No_two_folders_depend_on_each_other()
    {
        var core = PureCoreTests.Core.GetTypes();
        Assert.True(Edges(core).Count > 10, "too few folder dependencies in the core assembly: the reader does not see it");
        var edges = Edges([.. typeof(HipaaMongoReconciler).Assembly.GetTypes(), .. core]);
        Assert.True(edges.Count > 20, $"only {edges.Count} folder dependencies found: the reader is broken");

        var cycles = NamespaceGraph.Cycles(edges.Keys);

        Assert.True(cycles.Count == 0, "folders that depend on each other:\n" + string.Join('\n', cycles.Select(c => Explain(c, edges))));
    }

    [Fact]
    public void The_cycle_finder_sees_a_cycle_through_three_folders()
    {
        var cycles = NamespaceGraph.Cycles([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D"), ("D", "E")]);

        var cycle = Assert.Single(cycles);
        Assert.Equal(["A", "B", "C"], cycle.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("A.Users", "A.Reconciliation.Apply", "A.Users", "A.Reconciliation")]
    [InlineData("A.R.Apply", "A.R.Drift", "A.R.Apply", "A.R.Drift")]
    [InlineData("A.R.Apply.Deep", "A.R.Drift", "A.R.Apply", "A.R.Drift")]
    public void A_reference_counts_where_the_folders_part(string from, string to, string cutFrom, string cutTo) =>
        Assert.Equal((cutFrom, cutTo), Siblings(from, to));

    [Theory]
    [InlineData("A.R", "A.R.Apply")]
    [InlineData("A.R.Apply", "A.R")]
    public void A_folder_and_its_own_sub_folders_are_one_unit(string from, string to) => Assert.Null(Siblings(from, to));

    // Each folder edge with one type reference that makes it, for the failure message.
    private static Dictionary<(string From, string To), string> Edges(IEnumerable<Type> types)
    {
        var edges = new Dictionary<(string, string), string>();
        foreach (var type in types.Where(t => Folder(t) is not null))
        {
            foreach (var used in IlReferences.Types(type).Where(u => Folder(u) is not null))
            {
                if (Siblings(Folder(type)!, Folder(used)!) is { } edge)
                {
                    edges.TryAdd(edge, $"{Outermost(type).FullName} uses {Outermost(used).FullName}");
                }
            }
        }
        return edges;
    }

    // The two folders, cut to the level where they part; null when one contains the other.
    internal static (string From, string To)? Siblings(string from, string to)
    {
        var a = from.Split('.');
        var b = to.Split('.');
        var common = 0;
        while (common < a.Length && common < b.Length && a[common] == b[common])
        {
            common++;
        }
        if (common == a.Length || common == b.Length)
        {
            return null;
        }
        return (string.Join('.', a[..(common + 1)]), string.Join('.', b[..(common + 1)]));
    }

    private static string? Folder(Type type) =>
        type.Namespace is { } ns && (ns == Root || ns.StartsWith(Root + ".", StringComparison.Ordinal)) ? ns : null;

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static string Explain(IReadOnlyList<string> cycle, Dictionary<(string From, string To), string> edges) =>
        string.Join(", ", cycle) + ": " + string.Join("; ", edges.Where(e => cycle.Contains(e.Key.From) && cycle.Contains(e.Key.To)).Select(e => e.Value));
}
