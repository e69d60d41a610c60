using CsCheck;
using HipaaMongo.Entities.Serialization;
using HipaaMongo.Entities.Validation;
using k8s;

namespace HipaaMongo.Entities.Tests.Serialization;

public class PropertyTests
{
    private const long Iterations = 300;

    [Fact]
    public void Generated_valid_specs_are_accepted() =>
        SpecGenerators.ValidSpec.Sample(spec =>
        {
            var errors = HipaaMongoValidator.Validate(spec, null);
            Assert.True(errors.Count == 0, string.Join("; ", errors));
        }, iter: Iterations);

    [Fact]
    public void Valid_specs_round_trip_through_yaml() =>
        SpecGenerators.ValidSpec.Sample(spec =>
        {
            var resource = new HipaaMongoResource { Metadata = new() { Name = "rs0", NamespaceProperty = "phi" }, Spec = spec };
            var yaml = HipaaMongoYaml.Serialize(resource);
            var parsed = HipaaMongoYaml.ParseAndValidate(yaml);

            Assert.True(parsed.Success, string.Join("; ", parsed.Errors) + "\n" + yaml);
            Assert.Equal(KubernetesJson.Serialize(resource), KubernetesJson.Serialize(parsed.Resource!));
        }, iter: Iterations);

    [Fact]
    public void Valid_specs_round_trip_through_json() =>
        SpecGenerators.ValidSpec.Sample(spec =>
        {
            var json = KubernetesJson.Serialize(new HipaaMongoResource { Metadata = new() { Name = "rs0" }, Spec = spec });
            var back = KubernetesJson.Deserialize<HipaaMongoResource>(json);
            Assert.Equal(json, KubernetesJson.Serialize(back));
        }, iter: Iterations);

    [Fact]
    public void Validating_against_itself_as_the_old_spec_finds_nothing() =>
        SpecGenerators.ValidSpec.Sample(spec => Assert.Empty(HipaaMongoValidator.Validate(spec, spec)), iter: Iterations);
}
