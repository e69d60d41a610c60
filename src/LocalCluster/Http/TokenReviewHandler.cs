using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.LocalCluster.Semantics;
using Microsoft.AspNetCore.Http;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>
/// POST authentication.k8s.io/v1 tokenreviews, as kube-apiserver's pkg/registry/authentication/tokenreview/storage.go
/// answers it: an empty spec.token is a 400 ("token is required for TokenReview in authentication"); otherwise the
/// token is run through the same authenticator as a request's bearer token, status.authenticated says whether it
/// was known and status.user names the user and groups. Creating one needs create on tokenreviews (granted by
/// system:auth-delegator), checked by the caller's RBAC like every other request.
/// </summary>
public sealed class TokenReviewHandler(TokenRegistry tokens)
{
    public const string Path = "/apis/authentication.k8s.io/v1/tokenreviews";

    public static readonly Attributes CreateAttributes = new("create", "authentication.k8s.io", "tokenreviews", null, null, null);

    public static bool Handles(string path, string method) => method == "POST" && path == Path;

    public async Task HandleAsync(HttpContext ctx)
    {
        var body = await RequestBody.ReadObjectAsync(ctx.Request, ctx.RequestAborted, builtin: true);
        var spec = body["spec"] as JsonObject ?? [];
        var token = Meta.Str(spec["token"]) ?? "";
        if (token.Length == 0)
        {
            throw StatusException.BadRequest("token is required for TokenReview in authentication");
        }
        var user = tokens.Find(token);
        body["apiVersion"] = "authentication.k8s.io/v1";
        body["kind"] = "TokenReview";
        body["metadata"] = new JsonObject { ["creationTimestamp"] = null };
        var status = new JsonObject { ["authenticated"] = user is not null };
        if (user is not null)
        {
            status["user"] = new JsonObject
            {
                ["username"] = user.Name,
                ["groups"] = new JsonArray([.. user.Groups.Select(g => (JsonNode?)g)]),
            };
        }
        body["status"] = status;
        await Responses.WriteJsonAsync(ctx, 201, body);
    }
}
