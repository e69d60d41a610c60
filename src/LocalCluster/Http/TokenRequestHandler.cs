using System.Globalization;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.LocalCluster.Semantics;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>
/// POST serviceaccounts/{name}/token (`kubectl create token`; pkg/registry/core/serviceaccount/storage/token.go):
/// issues a bearer token for system:serviceaccount:ns:name and answers the TokenRequest with status.token. The
/// token is an opaque random string (not a JWT) and its expiry is reported but not enforced.
/// </summary>
public sealed class TokenRequestHandler(ObjectService service, TokenRegistry tokens, TimeProvider clock)
{
    const long DefaultExpirationSeconds = 3600;

    public static bool Handles(RequestInfo info, string method) =>
        method == "POST" && info.Type.Plural == "serviceaccounts" && info.Type.Group.Length == 0
        && info.Subresource == "token" && info.Name is not null && info.Namespace is not null;

    public async Task HandleAsync(HttpContext ctx, RequestInfo info)
    {
        var ns = info.Namespace!;
        var name = info.Name!;
        service.Get(info.Type, ns, name);
        var body = await RequestBody.ReadObjectAsync(ctx.Request, ctx.RequestAborted, builtin: true);
        var spec = body["spec"] as JsonObject ?? [];
        var seconds = Meta.Long(spec["expirationSeconds"]) ?? DefaultExpirationSeconds;
        if (seconds < 600 || seconds > uint.MaxValue)
        {
            // ValidateTokenRequest (pkg/apis/authentication/validation).
            var detail = seconds < 600 ? "may not specify a duration less than 10 minutes" : "may not specify a duration larger than 2^32 seconds";
            throw new StatusException(422, "Invalid", $"TokenRequest.authentication.k8s.io \"{name}\" is invalid: spec.expirationSeconds: Invalid value: {seconds}: {detail}",
                new JsonObject { ["name"] = name, ["group"] = "authentication.k8s.io", ["kind"] = "TokenRequest" });
        }
        var token = tokens.Issue(new UserInfo($"system:serviceaccount:{ns}:{name}",
            ["system:serviceaccounts", $"system:serviceaccounts:{ns}", "system:authenticated"]));
        var expires = clock.GetUtcNow().AddSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var audiences = spec["audiences"] as JsonArray is { Count: > 0 } given ? given.DeepClone() : new JsonArray("https://kubernetes.default.svc.cluster.local");
        var reply = new JsonObject
        {
            ["kind"] = "TokenRequest",
            ["apiVersion"] = "authentication.k8s.io/v1",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["creationTimestamp"] = null },
            ["spec"] = new JsonObject { ["audiences"] = audiences, ["boundObjectRef"] = null, ["expirationSeconds"] = seconds },
            ["status"] = new JsonObject { ["token"] = token, ["expirationTimestamp"] = expires },
        };
        await Responses.WriteJsonAsync(ctx, 201, reply);
    }
}
