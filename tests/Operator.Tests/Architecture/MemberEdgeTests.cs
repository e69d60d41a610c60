using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Members.Analysis;
using HipaaMongo.Operator.Reconciliation;

namespace HipaaMongo.Operator.Tests.Architecture;

/// <summary>
/// The members edge reads and runs; it decides nothing. No edge type (MongoMemberVerifier and the Connection,
/// Verification and Bootstrap folders of Members), its lambdas and async state machines included, names a type of
/// Members.Analysis or the analysis's own results (MemberAnalysis, PlannedCorrection), except the read helper listed,
/// which says what to read, not what to change. Read from the compiled IL, so an analysis call put back
/// inside a method body fails as surely as one in a signature.
/// </summary>
public sealed class MemberEdgeTests
{
    private static readonly string[] EdgeNamespaces =
    [
        "HipaaMongo.Operator.Members.Connection",
        "HipaaMongo.Operator.Members.Verification",
        "HipaaMongo.Operator.Members.Bootstrap",
    ];

    private const string Analysis = "HipaaMongo.Operator.Members.Analysis";

    // What the snapshot reader asks Analysis: which databases' roles to read (a read, not a change).
    private static readonly string[] ReadHelpers = ["HipaaMongo.Operator.Members.Analysis.RoleDatabases"];

    [Fact]
    public void No_edge_type_reaches_the_analysis_or_its_plans()
    {
        var edge = typeof(HipaaMongoReconciler).Assembly.GetTypes().Where(IsEdge).ToList();
        Assert.Contains(edge, t => t == typeof(MongoMemberVerifier));
        Assert.True(edge.Count > 10, $"only {edge.Count} edge types found: the namespaces above have moved");

        var violations = edge.SelectMany(Violations).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.True(violations.Count == 0, "the members edge decides:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_check_sees_an_analysis_call_inside_an_async_method()
    {
        var violations = typeof(DecidesAtTheEdge).GetNestedTypes(IlReferences.Declared).Prepend(typeof(DecidesAtTheEdge))
            .SelectMany(Violations).ToList();

        Assert.Contains(violations, v => v.Contains(typeof(MemberAnalyzer).FullName!, StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains(typeof(PlannedCorrection).FullName!, StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains(typeof(LdapGroupRoles).FullName!, StringComparison.Ordinal));
    }

    [Fact]
    public void The_bootstrap_edge_reads_and_runs_without_the_bootstrap_planner()
    {
        var bootstrap = typeof(HipaaMongoReconciler).Assembly.GetTypes()
            .Where(t => Outermost(t).Namespace == "HipaaMongo.Operator.Members.Bootstrap" || Outermost(t) == typeof(MongoMemberVerifier)).ToList();
        Assert.Contains(bootstrap, t => t.Name == "MemberBootstrapper");
        Assert.True(typeof(IBootstrapEdge).IsAssignableFrom(typeof(MongoMemberVerifier)));

        var violations = bootstrap.SelectMany(Violations).ToList();

        Assert.True(violations.Count == 0, "the bootstrap edge decides:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_check_sees_a_bootstrap_edge_that_plans_its_own_steps()
    {
        var violations = typeof(BootstrapsAtTheEdge).GetNestedTypes(IlReferences.Declared).Prepend(typeof(BootstrapsAtTheEdge))
            .SelectMany(Violations).ToList();

        Assert.Contains(violations, v => v.Contains(typeof(BootstrapPlanner).FullName!, StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains(typeof(BootstrapObservation).FullName!, StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains(typeof(BootstrapStep).FullName!, StringComparison.Ordinal));
    }

    [Fact]
    public void The_planner_and_the_analysis_are_what_the_check_forbids() =>
        Assert.All([typeof(MemberPlanner), typeof(MemberAnalyzer), typeof(LdapGroupRoles), typeof(MemberAnalysis), typeof(PlannedCorrection),
                typeof(BootstrapPlanner), typeof(BootstrapObservation), typeof(BootstrapStep), typeof(BootstrapCommand)],
            t => Assert.True(Forbidden(t), $"{t.FullName} is not forbidden to the edge"));

    private static bool IsEdge(Type type)
    {
        var outer = Outermost(type);
        return outer == typeof(MongoMemberVerifier)
            || EdgeNamespaces.Any(ns => outer.Namespace == ns || outer.Namespace?.StartsWith(ns + ".", StringComparison.Ordinal) == true);
    }

    private static IEnumerable<string> Violations(Type type) =>
        IlReferences.Types(type).Where(Forbidden).Select(used => $"{type.FullName} uses {used.FullName}");

    private static bool Forbidden(Type type)
    {
        var outer = Outermost(type);
        var ns = outer.Namespace ?? "";
        return ((ns == Analysis || ns.StartsWith(Analysis + ".", StringComparison.Ordinal)) && !ReadHelpers.Contains(outer.FullName))
            || outer == typeof(MemberAnalysis) || outer == typeof(PlannedCorrection);
    }

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    // The check's own proof: an edge that analyses a snapshot and runs the corrections it planned.
    private sealed class DecidesAtTheEdge
    {
        public static async Task<int> VerifyAsync(MemberSnapshot snapshot, MemberExpectations expected)
        {
            await Task.Yield();
            var analysis = MemberAnalyzer.Analyze(snapshot, expected);
            var planned = new List<PlannedCorrection>(analysis.Corrections);
            planned.AddRange(LdapGroupRoles.Corrections(snapshot, expected));
            return planned.Count;
        }
    }

    // The check's own proof for bootstrap: an edge that reads the hellos and asks the planner what to run next.
    private sealed class BootstrapsAtTheEdge
    {
        public static async Task<int> EnsureAsync(IBootstrapEdge edge, ReplicaSetTarget target, MemberExpectations expected, MemberCredentials credentials)
        {
            var hellos = await edge.HelloAsync(target, Operator.Members.Connection.MemberIdentity.Operator, credentials, CancellationToken.None);
            var step = BootstrapPlanner.Next(new BootstrapObservation(target, expected, true) { AsOperator = hellos });
            return step is BootstrapStep.Run ? 1 : 0;
        }
    }
}
