using System.Net;
using System.Runtime.CompilerServices;
using k8s;
using k8s.Autorest;

namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>
/// KubernetesListWatcher lists and watches any resource through KubernetesClient's custom-object API, which
/// takes group/version/plural and so serves built-in kinds as well as custom resources.
/// Scope: one namespace, or all namespaces when <c>namespace</c> is null.
/// </summary>
public sealed class KubernetesListWatcher<T>(IKubernetes client, ResourceType resource, string? @namespace = null,
    string? labelSelector = null) : IListWatcher<T>
{
    /// <inheritdoc />
    public string? Namespace => @namespace;

    /// <summary>Server-side watch timeout; the informer re-watches from the last version when it ends (client-go uses 5-10 min).</summary>
    public int WatchTimeoutSeconds { get; init; } = 300;

    /// <inheritdoc />
    public async Task<ListResult<T>> ListAsync(CancellationToken cancellationToken)
    {
        // Paged lists are not used: a consistent snapshot needs one resourceVersion, and the scale here is small.
        using var response = await SendAsync<ObjectList<T>>(watch: false, resourceVersion: null, cancellationToken);
        var body = response.Body ?? throw new InvalidOperationException($"empty list response for {resource.Plural}");
        var version = body.Metadata?.ResourceVersion
            ?? throw new InvalidOperationException($"list of {resource.Plural} has no resourceVersion");
        return new ListResult<T>(body.Items ?? [], version);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Exception? failure = null;
        var responseTask = SendAsync<object>(watch: true, resourceVersion, cancellationToken);
        // The replacement WatchList*Async methods yield untyped objects; this typed form is the one that decodes T.
#pragma warning disable CS0618
        var events = responseTask.WatchAsync<T, object>(ex => failure ??= ex, cancellationToken);
#pragma warning restore CS0618
        try
        {
            await foreach (var item in events.WithCancellation(cancellationToken))
            {
                // KubernetesClient reports an ERROR event through onError and keeps reading; stop at the first one.
                ThrowIfFailed(failure);
                yield return item;
            }
        }
        finally
        {
            if (responseTask.IsCompletedSuccessfully)
            {
                responseTask.Result.Dispose();
            }
        }
        ThrowIfFailed(failure);
    }

    private static void ThrowIfFailed(Exception? failure)
    {
        switch (failure)
        {
            case null:
                return;
            case ResourceExpiredException or ResourceNotServedException:
                throw failure;
            case KubernetesException { Status.Code: (int)HttpStatusCode.Gone } gone:
                throw new ResourceExpiredException(gone.Status.Message ?? "resource version expired", gone);
            case HttpOperationException { Response.StatusCode: HttpStatusCode.Gone } gone:
                throw new ResourceExpiredException("resource version expired", gone);
            default:
                throw new IOException("watch failed: " + failure.Message, failure);
        }
    }

    private async Task<HttpOperationResponse<TBody>> SendAsync<TBody>(bool watch, string? resourceVersion,
        CancellationToken cancellationToken)
    {
        try
        {
            return @namespace is null
                ? await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<TBody>(resource.Group, resource.Version,
                    resource.Plural, allowWatchBookmarks: watch ? true : null, labelSelector: labelSelector,
                    resourceVersion: resourceVersion, timeoutSeconds: watch ? WatchTimeoutSeconds : null, watch: watch ? true : null,
                    cancellationToken: cancellationToken)
                : await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<TBody>(resource.Group, resource.Version,
                    @namespace, resource.Plural, allowWatchBookmarks: watch ? true : null, labelSelector: labelSelector,
                    resourceVersion: resourceVersion, timeoutSeconds: watch ? WatchTimeoutSeconds : null, watch: watch ? true : null,
                    cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Gone)
        {
            throw new ResourceExpiredException("resource version expired", ex);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ResourceNotServedException(
                $"the API server does not serve {resource.ApiVersion} {resource.Plural} (404 Not Found on {(watch ? "watch" : "list")})", ex);
        }
    }
}
