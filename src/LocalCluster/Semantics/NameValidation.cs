using System.Text.Json.Nodes;
using HipaaMongo.ApiMachinery;
using HipaaMongo.LocalCluster.Api;
using FieldError = HipaaMongo.LocalCluster.Api.FieldError;

namespace HipaaMongo.LocalCluster.Semantics;

/// <summary>
/// metadata.name and metadata.generateName on create, with the rule kube-apiserver uses for the kind
/// (ValidateObjectMetaAccessor with the kind's ValidateNameFunc): a DNS-1123 label for Namespace
/// (ValidateNamespaceName) and StatefulSet (ValidateStatefulSetName), a DNS-1035 label for Service
/// (ValidateServiceName), a path segment for RBAC kinds (ValidateRBACName), a DNS-1123 subdomain for everything
/// else, custom resources included (apiextensions' customResourceStrategy.Validate). Names are immutable, so an
/// update never re-checks them (ValidateObjectMetaUpdate).
/// </summary>
static class NameValidation
{
    public static void Check(ResourceType type, JsonObject obj)
    {
        if (type.StoreKey == ObjectService.CrdStoreKey)
        {
            return; // a CRD's name is <plural>.<group>, checked with its spec
        }
        var rule = RuleFor(type);
        var meta = obj["metadata"];
        var errors = new List<FieldError>();
        if (Meta.Str(meta?["generateName"]) is { Length: > 0 } prefix)
        {
            errors.AddRange(rule(prefix, true).Select(m => new FieldError("metadata.generateName", "FieldValueInvalid", ObjectNames.Invalid(prefix, m))));
        }
        var name = Meta.Name(obj) ?? "";
        errors.AddRange(rule(name, false).Select(m => new FieldError("metadata.name", "FieldValueInvalid", ObjectNames.Invalid(name, m))));
        if (errors.Count > 0)
        {
            throw StatusException.Invalid(type, name, errors);
        }
    }

    static ObjectNames.NameRule RuleFor(ResourceType type) => (type.Group, type.Kind) switch
    {
        ("", "Namespace") or ("apps", "StatefulSet") => ObjectNames.NameIsDnsLabel,
        ("", "Service") => ObjectNames.NameIsDns1035Label,
        ("rbac.authorization.k8s.io", _) => ObjectNames.NameIsPathSegment,
        _ => ObjectNames.NameIsDnsSubdomain,
    };
}
