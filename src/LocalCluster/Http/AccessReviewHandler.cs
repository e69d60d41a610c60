using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.LocalCluster.Semantics;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>
/// POST selfsubjectaccessreviews (`kubectl auth can-i`, for the caller) and subjectaccessreviews (for spec.user and
/// spec.groups) under authorization.k8s.io/v1 (pkg/registry/authorization/*). With RBAC off every request is allowed,
/// as kube-apiserver's AlwaysAllow authorizer answers; with RBAC on, the same authorizer that guards requests decides.
/// </summary>
public sealed class AccessReviewHandler(Rbac rbac, Func<bool> rbacEnabled)
{
    const string Prefix = "/apis/authorization.k8s.io/v1/";

    public static bool Handles(string path, string method) =>
        method == "POST" && path is Prefix + "selfsubjectaccessreviews" or Prefix + "subjectaccessreviews";

    public async Task HandleAsync(HttpContext ctx, string path, UserInfo caller)
    {
        var self = path.EndsWith("/selfsubjectaccessreviews", StringComparison.Ordinal);
        if (!self && rbacEnabled() && !rbac.Allowed(caller, ReviewAttributes))
        {
            // Asking about others is itself authorized (system:basic-user only grants the self review).
            throw new StatusException(403, "Forbidden", Rbac.ForbiddenMessage(caller, ReviewAttributes),
                new JsonObject { ["group"] = "authorization.k8s.io", ["kind"] = "subjectaccessreviews" });
        }
        var body = await RequestBody.ReadObjectAsync(ctx.Request, ctx.RequestAborted, builtin: true);
        var spec = body["spec"] as JsonObject ?? throw Invalid(self, "spec", "Required value");
        var who = self ? caller : new UserInfo(Meta.Str(spec["user"]) ?? "", [.. (spec["groups"] as JsonArray ?? []).Select(g => Meta.Str(g) ?? "")]);
        if (!self && who.Name.Length == 0 && who.Groups.Count == 0)
        {
            throw Invalid(false, "spec.user", "Invalid value: \"\": at least one of user or group must be specified");
        }
        var allowed = Decide(who, spec, self);
        body["apiVersion"] = "authorization.k8s.io/v1";
        body["kind"] = self ? "SelfSubjectAccessReview" : "SubjectAccessReview";
        body["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        body["status"] = allowed.Allowed
            ? new JsonObject { ["allowed"] = true, ["reason"] = allowed.Reason }
            : new JsonObject { ["allowed"] = false };
        await Responses.WriteJsonAsync(ctx, 201, body);
    }

    static readonly Attributes ReviewAttributes = new("create", "authorization.k8s.io", "subjectaccessreviews", null, null, null);

    (bool Allowed, string Reason) Decide(UserInfo who, JsonObject spec, bool self)
    {
        if (!rbacEnabled())
        {
            return (true, "");
        }
        if (spec["resourceAttributes"] is JsonObject ra)
        {
            string? Opt(string key) => Meta.Str(ra[key]) is { Length: > 0 } v ? v : null;
            var attributes = new Attributes(Opt("verb") ?? "", Opt("group") ?? "", Opt("resource") ?? "", Opt("subresource"),
                Opt("namespace"), Opt("name"));
            return (rbac.Allowed(who, attributes), who.IsMaster ? "" : "allowed by RBAC");
        }
        if (spec["nonResourceAttributes"] is JsonObject nra)
        {
            return (rbac.AllowedNonResource(who, Meta.Str(nra["verb"]) ?? "", Meta.Str(nra["path"]) ?? ""), "allowed by RBAC");
        }
        throw Invalid(self, "spec.resourceAttributes", "Required value: exactly one of nonResourceAttributes or resourceAttributes must be specified");
    }

    static StatusException Invalid(bool self, string field, string detail)
    {
        var kind = self ? "SelfSubjectAccessReview" : "SubjectAccessReview";
        return new StatusException(422, "Invalid", $"{kind}.authorization.k8s.io \"\" is invalid: {field}: {detail}", new JsonObject
        {
            ["group"] = "authorization.k8s.io",
            ["kind"] = kind,
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = detail, ["field"] = field }),
        });
    }
}
