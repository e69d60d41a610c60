using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;
using HipaaMongo.ApiMachinery;
using HipaaMongo.Entities.Crds;
using k8s;
using k8s.Models;

namespace HipaaMongo.Entities.Tests.Crds;

/// <summary>
/// Evaluates the generated CRD's x-kubernetes-validations the way the API server does: each rule with
/// <c>self</c> bound to the node it sits on (and <c>oldSelf</c> on update, where the old node exists),
/// using an independent CEL implementation (the Cel package in ApiMachinery's kube-apiserver environment: has() as
/// key presence, the quantity library), not our validator. A failing rule yields its messageExpression's result when
/// it has one, else its message, as kube-apiserver reports it.
/// </summary>
internal static class CelRunner
{
    private static readonly CelEnvironment Environment = KubeCel.NewEnvironment();
    private static readonly Dictionary<string, CelProgramDelegate> Programs = [];
    private static readonly Lock Gate = new();

    public static V1JSONSchemaProps Schema { get; } = CrdGenerator.Generate().Spec.Versions[0].Schema.OpenAPIV3Schema;

    /// <summary>Messages of every rule that is false (or fails to evaluate) for this resource.</summary>
    public static List<string> FailingMessages(HipaaMongoResource resource, HipaaMongoResource? old = null)
    {
        var failures = new List<string>();
        Walk(Schema, ToCel(ToJson(resource)), old is null ? null : ToCel(ToJson(old)), old is not null, failures);
        return failures;
    }

    public static CelProgramDelegate Compile(string rule)
    {
        lock (Gate)
        {
            if (!Programs.TryGetValue(rule, out var program))
                Programs[rule] = program = KubeCel.Compile(Environment, rule);
            return program;
        }
    }

    private static void Walk(V1JSONSchemaProps schema, object? self, object? oldSelf, bool hasOld, List<string> failures)
    {
        if (self is null) return;
        foreach (var rule in schema.XKubernetesValidations ?? [])
        {
            var transition = rule.Rule.Contains("oldSelf", StringComparison.Ordinal);
            if (transition && !hasOld) continue;
            if (!Evaluate(rule.Rule, self, oldSelf)) failures.Add(MessageOf(rule, self, oldSelf));
        }

        if (self is Dictionary<string, object?> map && schema.Properties is not null)
            foreach (var (name, child) in schema.Properties)
                if (map.TryGetValue(name, out var value))
                {
                    var oldMap = oldSelf as Dictionary<string, object?>;
                    var oldValue = oldMap is not null && oldMap.TryGetValue(name, out var o) ? o : null;
                    Walk(child, value, oldValue, oldValue is not null, failures);
                }

        // Items are checked without oldSelf: our transition rules sit on objects and scalars, not in lists.
        if (self is List<object?> list && schema.Items is V1JSONSchemaProps items)
            foreach (var item in list) Walk(items, item, null, false, failures);
    }

    private static bool Evaluate(string rule, object self, object? oldSelf)
    {
        var variables = new Dictionary<string, object?> { ["self"] = self, ["oldSelf"] = oldSelf };
        try
        {
            return Compile(rule)(variables) is true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static string MessageOf(V1ValidationRule rule, object self, object? oldSelf)
    {
        if (rule.MessageExpression is not { Length: > 0 } expression) return rule.Message;
        try
        {
            return Compile(expression)(new Dictionary<string, object?> { ["self"] = self, ["oldSelf"] = oldSelf }) is string { Length: > 0 } text
                ? text
                : rule.Message;
        }
        catch (Exception)
        {
            return rule.Message;
        }
    }

    private static JsonNode ToJson(HipaaMongoResource resource) => JsonNode.Parse(KubernetesJson.Serialize(resource))!;

    /// <summary>JSON to CEL values; null fields are dropped, as the API server treats them as absent.</summary>
    private static object? ToCel(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => obj.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => ToCel(p.Value)),
        JsonArray array => array.Select(ToCel).ToList(),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number =>
            value.TryGetValue<long>(out var whole) ? whole : value.GetValue<double>(),
        _ => node.GetValueKind() == JsonValueKind.True,
    };
}
