using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Api;
using HipaaMongo.LocalCluster.Hosting;
using HipaaMongo.LocalCluster.Semantics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.LocalCluster.Http;

/// <summary>The single entry point: authentication, routing, fault injection, audit and error replies.</summary>
public sealed class ApiHandler(
    ObjectService service,
    ResourceHandler resources,
    DiscoveryHandler discovery,
    AdminHandler admin,
    AuditTrail audit,
    FaultInjector faults,
    TokenRegistry tokens,
    Func<bool> rbacEnabled,
    ILogger logger)
{
    readonly Rbac rbac = new(service.Store);
    AccessReviewHandler? reviews;
    TokenRequestHandler? tokenRequests;
    TokenReviewHandler? tokenReviews;

    AccessReviewHandler Reviews => reviews ??= new AccessReviewHandler(rbac, rbacEnabled);

    TokenReviewHandler TokenReviews => tokenReviews ??= new TokenReviewHandler(tokens);

    TokenRequestHandler TokenRequests => tokenRequests ??= new TokenRequestHandler(service, tokens, TimeProvider.System);

    public async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        var record = new AuditState();
        // The record is written before the response leaves (headers carry the final code), so a client that has
        // read its answer always finds the request in the trail; `finally` covers replies that never started.
        ctx.Response.OnStarting(() =>
        {
            Audit(ctx, record);
            return Task.CompletedTask;
        });
        try
        {
            if (path is "/healthz" or "/livez" or "/readyz" or "/version")
            {
                await (path == "/version" ? discovery.VersionAsync(ctx) : Responses.WriteTextAsync(ctx, 200, "ok"));
                return;
            }
            var user = Authenticate(ctx);
            record.User = user.Name;
            if (path.StartsWith("/admin/", StringComparison.Ordinal))
            {
                await admin.HandleAsync(ctx, path);
                return;
            }
            if (await discovery.TryHandleAsync(ctx, path))
            {
                return;
            }
            if (AccessReviewHandler.Handles(path, ctx.Request.Method))
            {
                await Reviews.HandleAsync(ctx, path, user);
                return;
            }
            if (TokenReviewHandler.Handles(path, ctx.Request.Method))
            {
                AuthorizeReview(user, TokenReviewHandler.CreateAttributes);
                await TokenReviews.HandleAsync(ctx);
                return;
            }
            var info = RequestInfo.Parse(path, service.Registry, out _) ?? throw StatusException.ResourceNotFound();
            record.Info = info;
            record.Verb = ResourceHandler.VerbOf(ctx.Request, info);
            Authorize(user, record.Verb, info);
            await InjectFaultAsync(ctx, record.Verb, info);
            if (ctx.Response.HasStarted)
            {
                return;
            }
            if (TokenRequestHandler.Handles(info, ctx.Request.Method))
            {
                await TokenRequests.HandleAsync(ctx, info);
                return;
            }
            await resources.HandleAsync(ctx, info, record.Verb);
        }
        catch (StatusException e)
        {
            await ReplyErrorAsync(ctx, e);
        }
        catch (InvalidOperationException e) when (e.Source == "System.Text.Json")
        {
            // A body whose shape does not fit (a string where an object belongs): the decoder's 400, not a 500.
            await ReplyErrorAsync(ctx, StatusException.BadRequest($"the body of the request could not be decoded: {e.Message}"));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            // The client went away (watch closed, timeout): nothing to answer.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogError(e, "unhandled error serving {Method} {Path}", ctx.Request.Method, path);
            await ReplyErrorAsync(ctx, new StatusException(500, "InternalError", $"Internal error occurred: {e.GetType().Name}", new JsonObject()));
        }
        finally
        {
            Audit(ctx, record);
        }
    }

    sealed class AuditState
    {
        int written;

        public string User { get; set; } = "system:anonymous";
        public string Verb { get; set; } = "";
        public RequestInfo? Info { get; set; }

        /// <summary>True for the first caller only: a request is recorded once, when its reply starts or ends.</summary>
        public bool Claim() => Interlocked.Exchange(ref written, 1) == 0;
    }

    void Audit(HttpContext ctx, AuditState s)
    {
        if (s.Info is not { } info || !s.Claim())
        {
            return;
        }
        audit.Add(new AuditRecord(DateTimeOffset.UtcNow, s.User, s.Verb, info.Type.Group, info.Type.Plural, info.Subresource,
            info.Namespace, info.Name, ctx.Response.StatusCode, ctx.Request.Headers.UserAgent.ToString())
        {
            Method = ctx.Request.Method,
            Path = ctx.Request.Path.Value ?? "",
            Query = ctx.Request.QueryString.Value ?? "",
            ContentType = ctx.Request.ContentType,
        });
    }

    UserInfo Authenticate(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal) || tokens.Find(header[7..].Trim()) is not { } user)
        {
            throw new StatusException(401, "Unauthorized", "Unauthorized", null);
        }
        // Impersonation (kubectl --as): only for callers who may do anything.
        var asUser = ctx.Request.Headers["Impersonate-User"].ToString();
        if (asUser.Length > 0 && user.IsMaster)
        {
            var groups = ctx.Request.Headers["Impersonate-Group"].Select(g => g ?? "").Where(g => g.Length > 0).Append("system:authenticated").ToList();
            return new UserInfo(asUser, groups);
        }
        return user;
    }

    void AuthorizeReview(UserInfo user, Attributes attributes)
    {
        if (rbacEnabled() && !rbac.Allowed(user, attributes))
        {
            throw new StatusException(403, "Forbidden", Rbac.ForbiddenMessage(user, attributes),
                new JsonObject { ["group"] = attributes.Group, ["kind"] = attributes.Resource });
        }
    }

    void Authorize(UserInfo user, string verb, RequestInfo info)
    {
        if (!rbacEnabled())
        {
            return;
        }
        var attributes = new Attributes(verb, info.Type.Group, info.Type.Plural, info.Subresource, info.Namespace, info.Name);
        if (!rbac.Allowed(user, attributes))
        {
            throw new StatusException(403, "Forbidden", Rbac.ForbiddenMessage(user, attributes),
                new JsonObject { ["name"] = info.Name, ["group"] = info.Type.Group, ["kind"] = info.Type.Plural });
        }
    }

    async Task InjectFaultAsync(HttpContext ctx, string verb, RequestInfo info)
    {
        if (faults.Take(verb, info.Type.Plural, info.Name, info.Subresource) is not { } fault)
        {
            return;
        }
        if (fault.Latency is { } delay)
        {
            await Task.Delay(delay, ctx.RequestAborted);
        }
        switch (fault.Code)
        {
            case 0:
                return;
            case 410 when verb == "watch" && !fault.WatchAsHttpStatus:
                {
                    // As WatchHandler sends a real expiry: the watch cache's Status, without details.
                    var status = TooOld(ctx).ToStatus();
                    status.Remove("details");
                    ctx.Response.StatusCode = 200;
                    ctx.Response.ContentType = "application/json";
                    await ctx.Response.WriteAsync(Responses.Serialize(new JsonObject { ["type"] = "ERROR", ["object"] = status }) + "\n", ctx.RequestAborted);
                    return;
                }
            case 410:
                throw TooOld(ctx);
            case 429:
                ctx.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Responses.WriteTextAsync(ctx, 429, "Too many requests, please try again later.\n");
                return;
            case 409 when verb == "create":
                throw StatusException.AlreadyExists(info.Type, info.Name ?? "");
            case 409:
                throw StatusException.Conflict(info.Type, info.Name ?? "");
            case 503:
                ctx.Response.Headers.RetryAfter = fault.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                throw new StatusException(503, "ServiceUnavailable", "The service is unavailable (injected fault)", new JsonObject());
            case 504:
                throw new StatusException(504, "Timeout", "Timeout: request did not complete within requested timeout (injected fault)", new JsonObject());
            default:
                throw new StatusException(fault.Code, fault.Code == 500 ? "InternalError" : "Unknown", $"Internal error occurred: injected fault {fault.Code}", new JsonObject());
        }
    }

    // kube-apiserver's expiry: "too old resource version: <requested> (<oldest still kept>)".
    StatusException TooOld(HttpContext ctx)
    {
        var requested = ctx.Request.Query["resourceVersion"].ToString();
        return new StatusException(410, "Expired",
            $"too old resource version: {(requested.Length > 0 ? requested : "0")} ({service.Store.CompactedResourceVersion})");
    }

    static async Task ReplyErrorAsync(HttpContext ctx, StatusException e)
    {
        if (ctx.Response.HasStarted)
        {
            return;
        }
        await Responses.WriteJsonAsync(ctx, e.Code, e.ToStatus());
    }
}
