using System.Reflection;
using System.Text.Json;
using HipaaMongo.Entities.Crds;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities.Tests.Crds;

/// <summary>A field left out of a manifest means the same in C# as after API-server defaulting.</summary>
public class DefaultsAgreementTests
{
    public static TheoryData<string> DefaultedProperties() =>
    [
        .. typeof(HipaaMongoSpec).Assembly.GetTypes()
            .SelectMany(t => t.GetProperties())
            .Where(p => p.GetCustomAttribute<DefaultAttribute>() is not null || p.GetCustomAttribute<DefaultJsonAttribute>() is not null)
            .Select(p => $"{p.DeclaringType!.Name}.{p.Name}"),
    ];

    [Theory]
    [MemberData(nameof(DefaultedProperties))]
    public void The_csharp_initial_value_equals_the_schema_default(string name)
    {
        var parts = name.Split('.');
        var type = typeof(HipaaMongoSpec).Assembly.GetTypes().Single(t => t.Name == parts[0]);
        var property = type.GetProperty(parts[1])!;
        var initial = property.GetValue(Activator.CreateInstance(type));

        if (property.GetCustomAttribute<DefaultJsonAttribute>() is { } json)
        {
            Assert.Equal("{}", json.Json);
            Assert.NotNull(initial);
            return;
        }

        var schemaDefault = property.GetCustomAttribute<DefaultAttribute>()!.Value;
        var serialised = JsonSerializer.Serialize(initial, property.PropertyType);
        Assert.Equal(JsonSerializer.Serialize(schemaDefault), serialised);
    }

    [Fact]
    public void Defaults_reach_the_schema()
    {
        var spec = CrdGenerator.Generate().Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"];
        Assert.Equal(3, spec.Properties["members"].DefaultProperty);
        Assert.Equal("Retain", spec.Properties["deletionPolicy"].DefaultProperty);
        Assert.Equal("2160h", spec.Properties["tls"].Properties["duration"].DefaultProperty);
        Assert.Equal("Baseline", spec.Properties["audit"].Properties["profile"].DefaultProperty);
        Assert.Equal(60, spec.Properties["verification"].Properties["intervalSeconds"].DefaultProperty);
    }
}
