using System.Text.Json.Nodes;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Drift;
using HipaaMongo.Operator.Tests.Baseline;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>A real render of the minimal model, and live copies of its objects to mutate.</summary>
internal static class DriftFixture
{
    public const string Name = "phi-db";
    public const string Pod = "spec.template.spec";

    public static DesiredState Render() => DesiredStateRenderer.Render(Models.WithLdap());

    public static JsonObject Desired(string kind, string name) => ObjectJson.From(Render().Get(kind, name));

    /// <summary>A live copy: what the cache would hold if nobody had touched the object.</summary>
    public static JsonObject Live(string kind, string name) => Desired(kind, name);

    public static JsonObject PodSpec(JsonObject statefulSet) => statefulSet["spec"]!["template"]!["spec"]!.AsObject();

    public static JsonObject Container(JsonObject statefulSet, string name, string list = "containers") =>
        PodSpec(statefulSet)[list]!.AsArray().OfType<JsonObject>().Single(c => c["name"]!.GetValue<string>() == name);

    public static JsonArray Volumes(JsonObject statefulSet) => PodSpec(statefulSet)["volumes"]!.AsArray();
}
