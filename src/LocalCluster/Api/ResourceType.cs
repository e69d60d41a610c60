using System.Text.Json.Nodes;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>One served resource: a plural under a group/version, as discovery describes it.</summary>
public sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    bool HasStatus,
    bool TracksGeneration,
    bool IsCustom)
{
    /// <summary>Objects of this type live under this key; core and events.k8s.io events share one.</summary>
    public string StoreKey { get; init; } = Group + "/" + Plural;

    /// <summary>The CRD's openAPIV3Schema for this version (custom resources only).</summary>
    public JsonObject? Schema { get; init; }

    /// <summary>The CRD's additionalPrinterColumns for this version (custom resources only).</summary>
    public JsonArray? PrinterColumns { get; init; }

    /// <summary>The KubernetesClient model type for strict decoding of built-ins.</summary>
    public Type? ModelType { get; init; }

    public bool HasScale { get; init; }

    /// <summary>
    /// A DELETE that removes the object at once answers with the object rather than a Status: the registry's
    /// ReturnDeletedObject (kubernetes pkg/registry/core/pod/storage/storage.go, serviceaccount/storage/storage.go,
    /// storage/storageclass/storage/storage.go set it; most registries do not).
    /// </summary>
    public bool ReturnsDeletedObject { get; init; }

    /// <summary>Discovery categories (`kubectl get all` expands "all").</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    public string GroupVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>"configmaps" for core, "hipaamongos.hipaa.mongooperator.io" otherwise (used in messages).</summary>
    public string QualifiedResource => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    /// <summary>"ConfigMap" for core, "StatefulSet.apps" otherwise (used in 422 messages).</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";

    public string ListKind => Kind + "List";
}
