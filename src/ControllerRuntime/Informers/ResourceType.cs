using System.Reflection;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>ResourceType names a REST resource: API group ("" for core), version, plural and kind.</summary>
public sealed record ResourceType(string Group, string Version, string Plural, string Kind)
{
    /// <summary>"group/version", or "version" for the core group (an object's apiVersion).</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Reads the resource from <typeparamref name="T"/>'s [KubernetesEntity] attribute (every k8s model has one).</summary>
    public static ResourceType For<T>()
    {
        var attr = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity] attribute; pass a ResourceType");
        if (string.IsNullOrEmpty(attr.PluralName) || string.IsNullOrEmpty(attr.Kind))
        {
            throw new InvalidOperationException($"{typeof(T).Name}'s [KubernetesEntity] lacks Kind or PluralName");
        }
        return new ResourceType(attr.Group ?? "", attr.ApiVersion, attr.PluralName, attr.Kind);
    }
}
