using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Hosting.Metrics;

/// <summary>What <see cref="MetricsAccessReview"/> decided: the HTTP status to answer and a message without secrets.</summary>
public sealed record AccessDecision(int StatusCode, string Message)
{
    public bool Allowed => StatusCode == 200;
}

/// <summary>
/// Delegated authentication and authorization for /metrics, as controller-runtime's
/// filters.WithAuthenticationAndAuthorization does: the bearer token is checked by a TokenReview, the user it names
/// by a SubjectAccessReview for the non-resource URL and the request's verb. No token or an unauthenticated one: 401;
/// not allowed: 403; the API server failing: 500. Answers are cached as controller-runtime caches them (tokens
/// 1 minute, allows 5 minutes, denials 30 seconds), keyed by the token's SHA-256 so the token itself is never kept.
/// </summary>
public sealed class MetricsAccessReview(IKubernetes client, TimeProvider time)
{
    private static readonly TimeSpan TokenTtl = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan AllowTtl = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DenyTtl = TimeSpan.FromSeconds(30);
    private const int MaxCached = 4096;

    private readonly ConcurrentDictionary<string, (V1UserInfo? User, DateTimeOffset Until)> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (bool Allowed, DateTimeOffset Until)> _decisions = new(StringComparer.Ordinal);

    /// <summary>Decides one request from its Authorization header, lower-case verb and path.</summary>
    public async Task<AccessDecision> DecideAsync(string? authorization, string verb, string path, CancellationToken ct)
    {
        if (BearerToken(authorization) is not { } token)
        {
            return new(401, "Unauthorized");
        }
        V1UserInfo? user;
        try
        {
            user = await AuthenticateAsync(token, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new(500, "Authentication failed");
        }
        if (user is null)
        {
            return new(401, "Unauthorized");
        }
        try
        {
            return await AuthorizeAsync(user, verb, path, ct).ConfigureAwait(false)
                ? new(200, "")
                : new(403, $"Authorization denied for user {user.Username}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new(500, $"Authorization for user {user.Username} failed");
        }
    }

    // "Bearer <token>" (case-insensitive scheme, as apiserver's bearertoken authenticator reads it); anything else: none.
    private static string? BearerToken(string? header)
    {
        var parts = (header ?? "").Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 2 && parts[0].Equals("Bearer", StringComparison.OrdinalIgnoreCase) && parts[1].Trim().Length > 0
            ? parts[1].Trim()
            : null;
    }

    private async Task<V1UserInfo?> AuthenticateAsync(string token, CancellationToken ct)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        var now = time.GetUtcNow();
        if (_tokens.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.User;
        }
        var review = await client.AuthenticationV1.CreateTokenReviewAsync(
            new V1TokenReview { Spec = new V1TokenReviewSpec { Token = token } }, cancellationToken: ct).ConfigureAwait(false);
        var user = review.Status?.Authenticated == true ? review.Status.User : null;
        Remember(_tokens, key, (user, now + TokenTtl));
        return user;
    }

    private async Task<bool> AuthorizeAsync(V1UserInfo user, string verb, string path, CancellationToken ct)
    {
        var key = string.Join('\n', user.Username, user.Uid, string.Join(',', user.Groups ?? []), verb, path);
        var now = time.GetUtcNow();
        if (_decisions.TryGetValue(key, out var cached) && cached.Until > now)
        {
            return cached.Allowed;
        }
        var review = await client.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
        {
            Spec = new V1SubjectAccessReviewSpec
            {
                User = user.Username,
                Uid = user.Uid,
                Groups = user.Groups,
                Extra = user.Extra,
                NonResourceAttributes = new V1NonResourceAttributes { Path = path, Verb = verb },
            },
        }, cancellationToken: ct).ConfigureAwait(false);
        var allowed = review.Status?.Allowed == true && review.Status.Denied != true;
        Remember(_decisions, key, (allowed, now + (allowed ? AllowTtl : DenyTtl)));
        return allowed;
    }

    // A scraper uses one token; a flood of distinct tokens must not grow memory without bound.
    private static void Remember<T>(ConcurrentDictionary<string, T> cache, string key, T value)
    {
        if (cache.Count >= MaxCached)
        {
            cache.Clear();
        }
        cache[key] = value;
    }
}
