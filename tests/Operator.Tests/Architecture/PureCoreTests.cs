using System.Reflection;
using HipaaMongo.Operator.Reconciliation;

namespace HipaaMongo.Operator.Tests.Architecture;

/// <summary>
/// The pure core stays pure: no type in the pure namespaces (or the named pure types elsewhere), their lambdas and
/// async state machines included, holds or calls a clock, the file system, the Kubernetes client or the MongoDB
/// driver. Read from the compiled IL of the Operator assembly, so a `DateTime.UtcNow` inside a method body fails
/// as surely as an injected TimeProvider.
/// </summary>
public sealed class PureCoreTests
{
    private static readonly string[] PureNamespaces =
    [
        "HipaaMongo.Operator.Baseline",
        "HipaaMongo.Operator.Compliance",
        "HipaaMongo.Operator.Members.Analysis",
        "HipaaMongo.Operator.Reconciliation.Drift",
        "HipaaMongo.Operator.Reconciliation.Status",
        "HipaaMongo.Operator.Reconciliation.Observe",
        "HipaaMongo.Operator.Reconciliation.Rollout",
    ];

    private static readonly string[] PureTypes =
    [
        "HipaaMongo.Operator.Reconciliation.StatusPlanner",
        "HipaaMongo.Operator.Reconciliation.PassPlanner",
        "HipaaMongo.Operator.Reconciliation.Verification.MemberWarnings",
        "HipaaMongo.Operator.Reconciliation.Evidence.PassRecordCodec",
        "HipaaMongo.Operator.Reconciliation.Verification.VerificationSchedule",
        "HipaaMongo.Operator.Reconciliation.Evidence.EvidenceInputs",
        "HipaaMongo.Operator.Reconciliation.Deletion.VolumeHandoverPlanner",
        "HipaaMongo.Operator.Reconciliation.Storage.StoragePlanner",
        "HipaaMongo.Operator.Ldap.DirectoryCondition",
        "HipaaMongo.Operator.Ldap.DirectoryObservation",
    ];

    [Fact]
    public void No_pure_type_reads_the_clock_or_does_io()
    {
        var pure = typeof(HipaaMongoReconciler).Assembly.GetTypes().Where(IsPure).ToList();
        Assert.True(pure.Count > 50, $"only {pure.Count} pure types found: the namespaces above have moved");

        var violations = pure.SelectMany(Violations).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.True(violations.Count == 0, "pure code reaching I/O or a clock:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_il_reader_sees_a_clock_read_in_a_method_body()
    {
        var violations = Violations(typeof(ReadsTheClock)).ToList();

        Assert.Contains(violations, v => v.Contains("System.DateTime.get_UtcNow", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("System.TimeProvider", StringComparison.Ordinal));
    }

    private static bool IsPure(Type type) =>
        PureNamespaces.Any(ns => type.Namespace == ns || type.Namespace?.StartsWith(ns + ".", StringComparison.Ordinal) == true)
        || PureTypes.Contains(Outermost(type).FullName);

    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static IEnumerable<string> Violations(Type type)
    {
        foreach (var field in type.GetFields(IlReferences.Declared).Where(f => Forbidden(f.FieldType)))
        {
            yield return $"{type.FullName}.{field.Name} holds a {field.FieldType.FullName}";
        }
        foreach (var method in IlReferences.Methods(type))
        {
            foreach (var parameter in method.GetParameters().Where(p => Forbidden(p.ParameterType)))
            {
                yield return $"{type.FullName}.{method.Name} takes a {parameter.ParameterType.FullName}";
            }
            foreach (var member in IlReferences.Members(method).Where(Forbidden))
            {
                yield return $"{type.FullName}.{method.Name} uses {member.DeclaringType?.FullName}.{member.Name}";
            }
        }
    }

    private static bool Forbidden(MemberInfo member) =>
        member.DeclaringType is { } owner && (Forbidden(owner)
            || (owner == typeof(DateTime) && member.Name is "get_Now" or "get_UtcNow" or "get_Today")
            || (owner == typeof(DateTimeOffset) && member.Name is "get_Now" or "get_UtcNow")
            || (owner == typeof(System.Diagnostics.Stopwatch) && member.Name is "GetTimestamp" or "StartNew")
            || (owner == typeof(Environment) && member.Name is "get_TickCount" or "get_TickCount64" or "GetEnvironmentVariable"));

    private static bool Forbidden(Type type)
    {
        var name = type.IsGenericType ? type.GetGenericTypeDefinition().FullName : type.FullName;
        var ns = type.Namespace ?? "";
        return type == typeof(TimeProvider)
            || ns == "System.IO" || ns.StartsWith("System.IO.", StringComparison.Ordinal)
            || ns == "System.Net.Http" || ns.StartsWith("System.Net.Sockets", StringComparison.Ordinal)
            || ns.StartsWith("MongoDB.Driver", StringComparison.Ordinal)
            || name is "k8s.Kubernetes" or "k8s.IKubernetes" or "k8s.KubernetesClientConfiguration" or "k8s.Watcher`1";
    }

    // The reader's own proof: this type does what a pure type must not.
    private sealed class ReadsTheClock(TimeProvider time)
    {
        public static DateTime Now() => DateTime.UtcNow;

        public DateTimeOffset Later() => time.GetUtcNow();
    }
}
