using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Semantics;
using HipaaMongo.LocalCluster.Storage;

namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>An authenticated caller.</summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public bool IsMaster => Groups.Contains("system:masters");
}

/// <summary>What a request wants to do, in RBAC terms.</summary>
public sealed record Attributes(string Verb, string Group, string Resource, string? Subresource, string? Namespace, string? Name)
{
    public string FullResource => Subresource is null ? Resource : $"{Resource}/{Subresource}";
}

/// <summary>
/// RBAC over the stored Roles/ClusterRoles and their bindings (plugin/pkg/auth/authorizer/rbac, simplified:
/// no aggregation rules, no escalation checks). system:masters is always allowed.
/// </summary>
public sealed class Rbac(ObjectStore store)
{
    public bool Allowed(UserInfo user, Attributes a)
    {
        if (user.IsMaster)
        {
            return true;
        }
        foreach (var binding in store.List("rbac.authorization.k8s.io/clusterrolebindings", null).Where(b => Matches(b, user)))
        {
            if (RulesOf(binding, null).Any(r => RuleAllows(r, a)))
            {
                return true;
            }
        }
        if (a.Namespace is null)
        {
            return false;
        }
        foreach (var binding in store.List("rbac.authorization.k8s.io/rolebindings", a.Namespace).Where(b => Matches(b, user)))
        {
            if (RulesOf(binding, a.Namespace).Any(r => RuleAllows(r, a)))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A non-resource request (`kubectl auth can-i get /healthz`): ClusterRole rules through ClusterRoleBindings only;
    /// a nonResourceURLs entry matches the path exactly, or as a prefix when it ends in `*` (rbac/v1 helpers).
    /// </summary>
    public bool AllowedNonResource(UserInfo user, string verb, string path)
    {
        if (user.IsMaster)
        {
            return true;
        }
        return store.List("rbac.authorization.k8s.io/clusterrolebindings", null).Where(b => Matches(b, user))
            .SelectMany(b => RulesOf(b, null))
            .Any(r => Has(r["verbs"], verb) && (r["nonResourceURLs"] as JsonArray ?? []).Any(u => Meta.Str(u) is { } url
                && (url == "*" || url == path || (url.EndsWith('*') && path.StartsWith(url[..^1], StringComparison.Ordinal)))));
    }

    static bool Matches(JsonObject binding, UserInfo user) =>
        (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>().Any(s => Meta.Str(s["kind"]) switch
        {
            "User" => Meta.Str(s["name"]) == user.Name,
            "Group" => user.Groups.Contains(Meta.Str(s["name"]) ?? ""),
            "ServiceAccount" => user.Name == $"system:serviceaccount:{Meta.Str(s["namespace"]) ?? Meta.Namespace(binding)}:{Meta.Str(s["name"])}",
            _ => false,
        });

    IEnumerable<JsonObject> RulesOf(JsonObject binding, string? ns)
    {
        var kind = Meta.Str(binding["roleRef"]?["kind"]);
        var name = Meta.Str(binding["roleRef"]?["name"]) ?? "";
        var role = kind == "ClusterRole"
            ? store.Get("rbac.authorization.k8s.io/clusterroles", null, name)
            : store.Get("rbac.authorization.k8s.io/roles", ns, name);
        return (role?["rules"] as JsonArray ?? []).OfType<JsonObject>();
    }

    static bool Has(JsonNode? list, string value) =>
        (list as JsonArray ?? []).Any(v => Meta.Str(v) is { } s && (s == "*" || s == value));

    static bool RuleAllows(JsonObject rule, Attributes a)
    {
        if (!Has(rule["verbs"], a.Verb) || !Has(rule["apiGroups"], a.Group))
        {
            return false;
        }
        var resources = rule["resources"] as JsonArray ?? [];
        var resourceOk = resources.Any(r => Meta.Str(r) is { } s && (s == "*" || s == a.FullResource
            || (a.Subresource is not null && s == $"*/{a.Subresource}") || (a.Subresource is null && s == a.Resource)));
        if (!resourceOk)
        {
            return false;
        }
        var names = rule["resourceNames"] as JsonArray;
        return names is not { Count: > 0 } || (a.Name is not null && names.Any(n => Meta.Str(n) == a.Name));
    }

    /// <summary>kube-apiserver's 403 text (responsewriters/errors.go forbiddenMessage).</summary>
    public static string ForbiddenMessage(UserInfo user, Attributes a)
    {
        var subject = a.Group.Length == 0 ? a.Resource : $"{a.Resource}.{a.Group}";
        var prefix = a.Name is null ? subject : $"{subject} \"{a.Name}\"";
        var scope = a.Namespace is null ? "at the cluster scope" : $"in the namespace \"{a.Namespace}\"";
        return $"{prefix} is forbidden: User \"{user.Name}\" cannot {a.Verb} resource \"{a.FullResource}\" in API group \"{a.Group}\" {scope}";
    }
}
