using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>
/// Decodes a built-in object into its KubernetesClient model with KubernetesClient's own JSON options, so a value
/// of the wrong type (a string where an object belongs) is refused as the Go decoder refuses it (400).
/// </summary>
public static class TypedDecoder
{
    static readonly MethodInfo? Generic = typeof(k8s.KubernetesJson).GetMethods(BindingFlags.Public | BindingFlags.Static)
        .FirstOrDefault(m => m.Name == "Deserialize" && m.IsGenericMethodDefinition
            && m.GetParameters() is [{ ParameterType: var p0 }, ..] && p0 == typeof(string));

    static readonly ConcurrentDictionary<Type, MethodInfo?> Closed = new();

    /// <summary>The decoder's complaint, or null when the object decodes.</summary>
    public static string? Problem(JsonObject obj, Type model)
    {
        var method = Closed.GetOrAdd(model, t => Generic?.MakeGenericMethod(t));
        if (method is null)
        {
            return null;
        }
        var args = method.GetParameters().Select((p, i) => i == 0 ? obj.ToJsonString() : p.HasDefaultValue ? p.DefaultValue : null).ToArray();
        try
        {
            method.Invoke(null, args);
            return null;
        }
        catch (TargetInvocationException e) when (e.InnerException is JsonException or FormatException or InvalidOperationException or OverflowException)
        {
            return e.InnerException!.Message;
        }
    }
}
