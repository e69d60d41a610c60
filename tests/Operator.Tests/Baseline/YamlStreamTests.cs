using System.Text.Json.Nodes;
using CsCheck;
using HipaaMongo.Operator.Baseline;
using k8s;

namespace HipaaMongo.Operator.Tests.Baseline;

public class YamlStreamTests
{
    [Fact]
    public void The_yaml_stream_reads_back_as_exactly_the_objects_wire_json() =>
        SpecGen.Resource.Sample(r =>
        {
            var state = DesiredStateRenderer.Render(r);
            var documents = YamlJson.Documents(YamlStream.Write(state));
            Assert.Equal(state.Objects.Count, documents.Count);
            for (var i = 0; i < documents.Count; i++)
            {
                var wire = JsonNode.Parse(KubernetesJson.Serialize(state.Objects[i]));
                Assert.True(JsonNode.DeepEquals(wire, documents[i]), $"document {i} ({state.Objects[i].Kind}) differs from its JSON");
            }
        }, iter: 60, threads: 1);
}
