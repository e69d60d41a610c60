using System.Reflection;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Tests.Architecture;

/// <summary>
/// The pure core stays pure: no type of the core assembly (src/OperatorCore, every type, its lambdas and async
/// state machines included) holds or calls a clock, the file system, the Kubernetes client or the MongoDB driver.
/// Read from the compiled IL, so a `DateTime.UtcNow` inside a method body fails as surely as an injected
/// TimeProvider. The core's project cannot reference the driver or the hosting packages at all
/// (<see cref="CoreProjectTests"/>); this reads what the framework still offers it (TimeProvider, System.IO,
/// sockets, the Kubernetes client beside its models).
/// </summary>
public sealed class PureCoreTests
{
    /// <summary>The core assembly, HipaaMongo.Operator.Core.</summary>
    internal static Assembly Core => typeof(DesiredStateRenderer).Assembly;

    [Fact]
    public void No_core_type_reads_the_clock_or_does_io()
    {
        var core = Core.GetTypes();
        Assert.True(core.Length > 300, $"only {core.Length} types in {Core.GetName().Name}: the core has moved");

        var violations = core.SelectMany(Violations).Distinct().Order(StringComparer.Ordinal).ToList();

        Assert.True(violations.Count == 0, "pure code reaching I/O or a clock:\n" + string.Join('\n', violations));
    }

    [Fact]
    public void The_il_reader_sees_a_clock_read_in_a_method_body()
    {
        var violations = Violations(typeof(ReadsTheClock)).ToList();

        Assert.Contains(violations, v => v.Contains("System.DateTime.get_UtcNow", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("System.TimeProvider", StringComparison.Ordinal));
    }

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
