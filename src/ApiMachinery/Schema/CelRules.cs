using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cel;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// <c>x-kubernetes-validations</c> evaluated with the <c>Cel</c> package in <see cref="KubeCel"/>'s environment
/// (kube-apiserver's has() and quantity library): <c>self</c> is the value at the rule's node,
/// <c>oldSelf</c> the correlated old value (transition rules run only on update, as in kube-apiserver). A rule the
/// engine cannot compile or evaluate is reported as <see cref="RuleNotEvaluated"/>, never as passed.
/// </summary>
internal sealed class CelRules
{
    private readonly CelEnvironment environment = KubeCel.NewEnvironment();
    private readonly ConcurrentDictionary<string, CelProgramDelegate?> compiled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> compileErrors = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Compiles a rule up front; returns the compiler's complaint, or null when it compiled.</summary>
    internal string? CompileError(string rule)
    {
        Program(rule);
        return compileErrors.TryGetValue(rule, out var error) ? error : null;
    }

    internal void Evaluate(JsonObject schema, JsonNode? value, JsonNode? old, bool hasOld, string path, List<FieldError> errors, List<RuleNotEvaluated> skipped)
    {
        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            EvaluateRule(schema, rule, value, old, hasOld, path, errors, skipped);
        }
    }

    private void EvaluateRule(JsonObject schema, JsonObject rule, JsonNode? value, JsonNode? old, bool hasOld, string path, List<FieldError> errors, List<RuleNotEvaluated> skipped)
    {
        var text = Json.AsString(rule["rule"]) ?? "";
        var transition = text.Contains("oldSelf", StringComparison.Ordinal);
        if (transition && !hasOld && !Json.IsTrue(rule["optionalOldSelf"]))
        {
            return; // kube-apiserver skips transition rules on create and when no old value correlates
        }

        var program = Program(text);
        if (program is null)
        {
            skipped.Add(new RuleNotEvaluated(path, text, "does not compile here: " + compileErrors.GetValueOrDefault(text, "unknown error")));
            return;
        }

        var variables = new Dictionary<string, object?> { ["self"] = ToCel(value, schema) };
        if (hasOld)
        {
            variables["oldSelf"] = ToCel(old, schema);
        }

        object? result;
        try
        {
            lock (gate)
            {
                result = program(variables);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            skipped.Add(new RuleNotEvaluated(path, text, "evaluation error: " + e.Message.Split('\n')[0]));
            return;
        }

        if (result is not bool passed)
        {
            skipped.Add(new RuleNotEvaluated(path, text, $"rule returned {result?.GetType().Name ?? "null"}, not bool"));
            return;
        }

        if (!passed)
        {
            errors.Add(Failure(schema, rule, text, path, MessageFromExpression(rule, variables)));
        }
    }

    // messageExpression wins when it yields a non-empty string; otherwise kube-apiserver falls back to message.
    private string? MessageFromExpression(JsonObject rule, Dictionary<string, object?> variables)
    {
        if (Json.AsString(rule["messageExpression"]) is not { Length: > 0 } expression || Program(expression) is not { } program)
        {
            return null;
        }

        try
        {
            lock (gate)
            {
                return program(variables) is string { Length: > 0 } message ? message : null;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }

    private static FieldError Failure(JsonObject schema, JsonObject rule, string text, string path, string? expressionMessage)
    {
        var message = expressionMessage ?? (Json.AsString(rule["message"]) is { Length: > 0 } m ? m : "failed rule: " + text);
        var field = Json.AsString(rule["fieldPath"]) is { Length: > 0 } fp ? path + (path.Length == 0 ? fp.TrimStart('.') : fp) : path;
        if (field.Length == 0)
        {
            field = "<nil>"; // a root-level rule has a nil field path, which field.Error prints as <nil>
        }

        var type = Json.AsString(rule["reason"]) switch
        {
            "FieldValueForbidden" => FieldErrorType.Forbidden,
            "FieldValueRequired" => FieldErrorType.Required,
            "FieldValueDuplicate" => FieldErrorType.Duplicate,
            _ => FieldErrorType.Invalid,
        };
        var shown = FieldValue.Quote(Json.AsString(schema["type"]) ?? "object");
        return new FieldError(type, field, type is FieldErrorType.Invalid or FieldErrorType.Duplicate ? shown : null, message);
    }

    private CelProgramDelegate? Program(string rule) => compiled.GetOrAdd(rule, r =>
    {
        try
        {
            lock (gate)
            {
                return KubeCel.Compile(environment, r);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            compileErrors[r] = e.Message.Split('\n')[0];
            return null;
        }
    });

    /// <summary>JSON to the CLR shapes the Cel package evaluates: maps, lists, long, double, string, bool.</summary>
    internal static object? ToCel(JsonNode? node, JsonObject? schema) => node switch
    {
        null => null,
        JsonObject obj => obj.ToDictionary(kv => kv.Key, kv => ToCel(kv.Value, ChildSchema(schema, kv.Key))),
        JsonArray arr => arr.Select(i => ToCel(i, schema?["items"] as JsonObject)).ToList(),
        _ => Scalar((JsonValue)node, schema),
    };

    private static object? Scalar(JsonValue v, JsonObject? schema)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                return v.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var asDouble = Json.AsString(schema?["type"]) == "number" || !FieldValue.IsIntegral(v);
                if (!asDouble && Json.TryDecimal(v, out var d) && d >= long.MinValue && d <= long.MaxValue)
                {
                    return (long)d;
                }

                Json.TryDouble(v, out var f);
                return f;
            default:
                return null;
        }
    }

    private static JsonObject? ChildSchema(JsonObject? schema, string key) =>
        schema?["properties"]?[key] as JsonObject ?? schema?["additionalProperties"] as JsonObject;
}
