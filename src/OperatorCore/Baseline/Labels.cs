namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// The recommended app.kubernetes.io labels, from one place (ecosystem-conventions.md 6).
/// The selector subset never changes for a resource, because a StatefulSet's selector is immutable.
/// </summary>
public static class Labels
{
    public const string NameKey = "app.kubernetes.io/name";
    public const string InstanceKey = "app.kubernetes.io/instance";
    public const string ComponentKey = "app.kubernetes.io/component";
    public const string PartOfKey = "app.kubernetes.io/part-of";
    public const string ManagedByKey = "app.kubernetes.io/managed-by";

    public const string AppName = "mongodb";
    public const string PartOf = "hipaa-mongo";
    public const string ManagedBy = "hipaa-mongo-operator";

    /// <summary>Component of the mongod pods and the objects that serve them.</summary>
    public const string Database = "database";
    public const string Tls = "tls";
    public const string Network = "network";

    /// <summary>Labels that select the mongod pods of one resource.</summary>
    public static Dictionary<string, string> Selector(string instance) => new()
    {
        [NameKey] = AppName,
        [InstanceKey] = instance,
        [ComponentKey] = Database,
    };

    /// <summary>The full label set for an object of one component.</summary>
    public static Dictionary<string, string> For(string instance, string component) => new()
    {
        [NameKey] = AppName,
        [InstanceKey] = instance,
        [ComponentKey] = component,
        [PartOfKey] = PartOf,
        [ManagedByKey] = ManagedBy,
    };

    /// <summary>Labels of the operator's own pods, which NetworkPolicies admit to port 27017.</summary>
    public static Dictionary<string, string> OperatorPods() => new() { [NameKey] = ManagedBy };
}
