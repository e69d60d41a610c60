namespace HipaaMongo.Operator.Reconciliation.Drift;

/// <summary>
/// Which lists are keyed (compared element by element by their strategic-merge key, so a reordered
/// or defaulted list is not drift) and where extra live content counts as drift although we never
/// rendered it. Everywhere else the live object may carry more than we rendered: server defaults
/// and other managers' fields are not ours.
/// </summary>
internal sealed class ComparePolicy
{
    /// <summary>Merge keys of the lists that appear in the objects we render (k8s.io/api patchMergeKey).</summary>
    private static readonly Dictionary<string, string> Keys = new()
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["volumes"] = "name",
        ["env"] = "name",
        ["volumeMounts"] = "mountPath",
        ["ownerReferences"] = "uid",
    };

    /// <summary>Lists where an element we never rendered changes what runs in the pod.</summary>
    private static readonly HashSet<string> ExtrasAreDrift =
        ["containers", "initContainers", "ephemeralContainers", "volumes", "volumeMounts", "env"];

    /// <summary>Fields the API server defaults inside a NetworkPolicy spec (protocol: TCP on a port).</summary>
    private static readonly HashSet<string> NetworkPolicyDefaults = ["protocol"];

    private readonly string _kind;

    public ComparePolicy(string kind) => _kind = kind;

    public static string? KeyFor(string field) => Keys.GetValueOrDefault(field);

    public static bool ReportsExtraElements(string field) => ExtrasAreDrift.Contains(field);

    /// <summary>
    /// True when every extra property of the live object at this path is drift: any key added to our
    /// ConfigMap is copied next to mongod.conf by the init container, and any field added to one of
    /// our NetworkPolicies changes who may connect.
    /// </summary>
    public bool ExtraPropertiesAreDrift(IReadOnlyList<string> segments, string property) => _kind switch
    {
        "ConfigMap" => segments.Count == 1 && segments[0] is "data" or "binaryData",
        "NetworkPolicy" => segments.Count > 0 && segments[0] == "spec" && !NetworkPolicyDefaults.Contains(property),
        _ => false,
    };
}
