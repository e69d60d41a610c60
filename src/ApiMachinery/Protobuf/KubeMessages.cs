namespace HipaaMongo.ApiMachinery.Protobuf;

/// <summary>
/// Field numbers of the messages kubectl sends as protobuf (`kubectl create namespace|secret|configmap|serviceaccount|
/// role|rolebinding|clusterrole|clusterrolebinding|service|poddisruptionbudget|token`, `kubectl auth can-i`), from the
/// generated.proto files in kubernetes/api (core/v1, rbac/v1, policy/v1, authorization/v1, authentication/v1) and
/// kubernetes/apimachinery (pkg/apis/meta/v1, pkg/runtime). Fields not listed are skipped on decode.
/// </summary>
public static class KubeMessages
{
    static ProtoField S(int n, string name) => new(n, name, ProtoType.String);

    static ProtoField Strings(int n, string name) => new(n, name, ProtoType.String, Repeated: true);

    static ProtoField Msg(int n, string name, string message, bool repeated = false, bool presence = false) =>
        new(n, name, ProtoType.Message, message, repeated, presence);

    static ProtoField Map(int n, string name) => new(n, name, ProtoType.StringMap);

    static ProtoMessage M(string name, params ProtoField[] fields) => new(name, fields);

    static readonly ProtoField Metadata = Msg(1, "metadata", "meta.ObjectMeta");

    public static IReadOnlyDictionary<string, ProtoMessage> Catalog { get; } = new[]
    {
        // k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto
        M("meta.ObjectMeta", S(1, "name"), S(2, "generateName"), S(3, "namespace"), S(4, "selfLink"), S(5, "uid"),
            S(6, "resourceVersion"), new ProtoField(7, "generation", ProtoType.Int), new ProtoField(8, "creationTimestamp", ProtoType.Time),
            new ProtoField(9, "deletionTimestamp", ProtoType.Time), new ProtoField(10, "deletionGracePeriodSeconds", ProtoType.Int, Presence: true),
            Map(11, "labels"), Map(12, "annotations"), Msg(13, "ownerReferences", "meta.OwnerReference", repeated: true),
            Strings(14, "finalizers")),
        M("meta.OwnerReference", S(1, "kind"), S(3, "name"), S(4, "uid"), S(5, "apiVersion"),
            new ProtoField(6, "controller", ProtoType.Bool, Presence: true), new ProtoField(7, "blockOwnerDeletion", ProtoType.Bool, Presence: true)),
        M("meta.LabelSelector", Map(1, "matchLabels"), Msg(2, "matchExpressions", "meta.LabelSelectorRequirement", repeated: true)),
        M("meta.LabelSelectorRequirement", S(1, "key"), S(2, "operator"), Strings(3, "values")),
        // k8s.io/api/core/v1/generated.proto
        M("core.Namespace", Metadata, Msg(2, "spec", "core.NamespaceSpec"), Msg(3, "status", "core.NamespaceStatus")),
        M("core.NamespaceSpec", Strings(1, "finalizers")),
        M("core.NamespaceStatus", S(1, "phase")),
        M("core.ConfigMap", Metadata, Map(2, "data"), new ProtoField(3, "binaryData", ProtoType.BytesMap),
            new ProtoField(4, "immutable", ProtoType.Bool, Presence: true)),
        M("core.Secret", Metadata, new ProtoField(2, "data", ProtoType.BytesMap), S(3, "type"), Map(4, "stringData"),
            new ProtoField(5, "immutable", ProtoType.Bool, Presence: true)),
        M("core.ServiceAccount", Metadata, Msg(2, "secrets", "core.ObjectReference", repeated: true),
            Msg(3, "imagePullSecrets", "core.LocalObjectReference", repeated: true),
            new ProtoField(4, "automountServiceAccountToken", ProtoType.Bool, Presence: true)),
        M("core.ObjectReference", S(1, "kind"), S(2, "namespace"), S(3, "name"), S(4, "uid"), S(5, "apiVersion"),
            S(6, "resourceVersion"), S(7, "fieldPath")),
        M("core.LocalObjectReference", S(1, "name")),
        M("core.Service", Metadata, Msg(2, "spec", "core.ServiceSpec")),
        M("core.ServiceSpec", Msg(1, "ports", "core.ServicePort", repeated: true), Map(2, "selector"), S(3, "clusterIP"),
            S(4, "type"), Strings(5, "externalIPs"), S(7, "sessionAffinity"), S(10, "externalName")),
        M("core.ServicePort", S(1, "name"), S(2, "protocol"), new ProtoField(3, "port", ProtoType.Int),
            new ProtoField(4, "targetPort", ProtoType.IntOrString), new ProtoField(5, "nodePort", ProtoType.Int)),
        // k8s.io/api/policy/v1/generated.proto
        M("policy.PodDisruptionBudget", Metadata, Msg(2, "spec", "policy.PodDisruptionBudgetSpec")),
        M("policy.PodDisruptionBudgetSpec", new ProtoField(1, "minAvailable", ProtoType.IntOrString, Presence: true),
            Msg(2, "selector", "meta.LabelSelector", presence: true), new ProtoField(3, "maxUnavailable", ProtoType.IntOrString, Presence: true)),
        // k8s.io/api/rbac/v1/generated.proto
        M("rbac.Role", Metadata, Msg(2, "rules", "rbac.PolicyRule", repeated: true)),
        M("rbac.ClusterRole", Metadata, Msg(2, "rules", "rbac.PolicyRule", repeated: true),
            Msg(3, "aggregationRule", "rbac.AggregationRule", presence: true)),
        M("rbac.AggregationRule", Msg(1, "clusterRoleSelectors", "meta.LabelSelector", repeated: true)),
        M("rbac.PolicyRule", Strings(1, "verbs"), Strings(2, "apiGroups"), Strings(3, "resources"), Strings(4, "resourceNames"),
            Strings(5, "nonResourceURLs")),
        M("rbac.RoleBinding", Metadata, Msg(2, "subjects", "rbac.Subject", repeated: true), Msg(3, "roleRef", "rbac.RoleRef")),
        M("rbac.Subject", S(1, "kind"), S(2, "apiGroup"), S(3, "name"), S(4, "namespace")),
        M("rbac.RoleRef", S(1, "apiGroup"), S(2, "kind"), S(3, "name")),
        // k8s.io/api/authorization/v1/generated.proto
        M("authz.SelfSubjectAccessReview", Metadata, Msg(2, "spec", "authz.SelfSubjectAccessReviewSpec")),
        M("authz.SelfSubjectAccessReviewSpec", Msg(1, "resourceAttributes", "authz.ResourceAttributes", presence: true),
            Msg(2, "nonResourceAttributes", "authz.NonResourceAttributes", presence: true)),
        M("authz.SubjectAccessReview", Metadata, Msg(2, "spec", "authz.SubjectAccessReviewSpec")),
        M("authz.SubjectAccessReviewSpec", Msg(1, "resourceAttributes", "authz.ResourceAttributes", presence: true),
            Msg(2, "nonResourceAttributes", "authz.NonResourceAttributes", presence: true), S(3, "user"), Strings(4, "groups"), S(6, "uid")),
        M("authz.ResourceAttributes", S(1, "namespace"), S(2, "verb"), S(3, "group"), S(4, "version"), S(5, "resource"),
            S(6, "subresource"), S(7, "name")),
        M("authz.NonResourceAttributes", S(1, "path"), S(2, "verb")),
        // k8s.io/api/authentication/v1/generated.proto (kubectl create token)
        M("authn.TokenRequest", Metadata, Msg(2, "spec", "authn.TokenRequestSpec")),
        M("authn.TokenRequestSpec", Strings(1, "audiences"), new ProtoField(4, "expirationSeconds", ProtoType.Int, Presence: true)),
    }.ToDictionary(m => m.Name);

    /// <summary>The top-level message for an apiVersion and kind (what runtime.Unknown's typeMeta names).</summary>
    public static IReadOnlyDictionary<(string ApiVersion, string Kind), string> Kinds { get; } = new Dictionary<(string, string), string>
    {
        [("v1", "Namespace")] = "core.Namespace",
        [("v1", "ConfigMap")] = "core.ConfigMap",
        [("v1", "Secret")] = "core.Secret",
        [("v1", "ServiceAccount")] = "core.ServiceAccount",
        [("v1", "Service")] = "core.Service",
        [("policy/v1", "PodDisruptionBudget")] = "policy.PodDisruptionBudget",
        [("rbac.authorization.k8s.io/v1", "Role")] = "rbac.Role",
        [("rbac.authorization.k8s.io/v1", "ClusterRole")] = "rbac.ClusterRole",
        [("rbac.authorization.k8s.io/v1", "RoleBinding")] = "rbac.RoleBinding",
        [("rbac.authorization.k8s.io/v1", "ClusterRoleBinding")] = "rbac.RoleBinding",
        [("authorization.k8s.io/v1", "SelfSubjectAccessReview")] = "authz.SelfSubjectAccessReview",
        [("authorization.k8s.io/v1", "SubjectAccessReview")] = "authz.SubjectAccessReview",
        [("authentication.k8s.io/v1", "TokenRequest")] = "authn.TokenRequest",
    };
}
