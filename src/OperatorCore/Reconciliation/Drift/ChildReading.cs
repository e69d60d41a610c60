using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// What the gather read for one child: the render, the same with its last-applied stamps, the live object (null: it
/// does not exist) and the render as the API server would store it over the live object (null when there is none).
/// </summary>
public sealed record ChildReading(IKubernetesObject<V1ObjectMeta> Desired, JsonObject Stamped, JsonObject? Live, JsonObject? Defaulted);
