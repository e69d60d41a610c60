using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// What happened to one desired object in a pass. Live is the object as found BEFORE this pass wrote
/// anything (null: it did not exist), so compliance sees what was there, not what we just put back.
/// </summary>
public sealed record AppliedObject(IKubernetesObject<V1ObjectMeta> Desired, ApplyDecision Decision, JsonObject? Live);
