using HipaaMongo.Entities;
using k8s;
using k8s.Autorest;

namespace HipaaMongo.Operator.Cli;

/// <summary>
/// What `hipaa-mongo run` asks the API server before it starts its informers, so the three failures a new user
/// meets first end the process with one line and a documented exit code instead of an informer retrying forever:
/// an unreachable or refusing API server (3), and a missing HipaaMongo CRD or cert-manager (4). It lists what the
/// informers will list, in the same scope (cluster-wide, or each watched namespace), with limit=1, so a 403 here is
/// the same 403 the operator would hit.
/// </summary>
internal static class StartupCheck
{
    public sealed record Failure(int ExitCode, string Message);

    private sealed record Served(string Group, string Version, string Plural, string Remedy);

    private static readonly Served[] Required =
    [
        new(ApiGroup.Group, ApiGroup.Version, ApiGroup.Plural,
            "install the CRD (`helm install` with crds.enabled=true, or `hipaa-mongo crds | kubectl apply -f -`)"),
        new(ApiGroup.Group, ApiGroup.Version, UserApiGroup.Plural,
            "install the HipaaMongoUser CRD (`helm install` with crds.enabled=true, or `hipaa-mongo crds | kubectl apply -f -`)"),
        new("cert-manager.io", "v1", "certificates", "install cert-manager 1.15 or later (docs/install.md)"),
    ];

    public static async Task<Failure?> RunAsync(IKubernetes client, IReadOnlyList<string> namespaces, TimeSpan timeout,
        CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        IReadOnlyList<string?> scopes = namespaces.Count == 0 ? [null] : [.. namespaces];
        // All at once (they are independent reads): on a cold process most of each one's time is first-use cost, which
        // overlaps; the first failure in the declared order is the one reported, as when they ran one by one.
        var checks = Required.SelectMany(served => scopes.Select(scope => ListOneAsync(client, served, scope, bounded.Token))).ToArray();
        foreach (var failure in await Task.WhenAll(checks))
        {
            if (failure is not null)
            {
                return failure;
            }
        }
        return null;
    }

    private static async Task<Failure?> ListOneAsync(IKubernetes client, Served r, string? scope, CancellationToken ct)
    {
        var what = $"{r.Plural}.{r.Group}/{r.Version}" + (scope is null ? " in all namespaces" : $" in namespace {scope}");
        try
        {
            _ = scope is null
                ? await client.CustomObjects.ListClusterCustomObjectAsync(r.Group, r.Version, r.Plural, limit: 1, cancellationToken: ct)
                : await client.CustomObjects.ListNamespacedCustomObjectAsync(r.Group, r.Version, scope, r.Plural, limit: 1, cancellationToken: ct);
            return null;
        }
        catch (HttpOperationException ex) when (ClusterErrors.IsNotFound(ex))
        {
            return new Failure(CliApp.MissingPrerequisite, $"the API server does not serve {r.Plural}.{r.Group}/{r.Version}: {r.Remedy}");
        }
        catch (Exception ex) when (ClusterErrors.IsClusterError(ex) || ex is OperationCanceledException)
        {
            // A cancelled request here is the check's own deadline: the API server did not answer in time.
            var cause = ex is OperationCanceledException ? new TimeoutException() : ex;
            return new Failure(CliApp.ClusterError, $"{ClusterErrors.Describe(cause, what)} (server {client.BaseUri})");
        }
    }
}
