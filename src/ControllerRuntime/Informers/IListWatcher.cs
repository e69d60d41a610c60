using k8s;

namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>IListWatcher lists a resource and watches it from a resourceVersion (client-go's ListerWatcher).</summary>
public interface IListWatcher<T>
{
    /// <summary>The namespace listed and watched, or null for all namespaces (or a cluster-scoped kind).</summary>
    string? Namespace { get; }

    /// <summary>Lists every object in scope, with the list's resourceVersion.</summary>
    Task<ListResult<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> with bookmarks. Ends when the server closes the stream;
    /// throws <see cref="ResourceExpiredException"/> when the version is too old (410 Gone).
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, CancellationToken cancellationToken);
}

/// <summary>A list response: the items and the collection's resourceVersion.</summary>
public sealed record ListResult<T>(IReadOnlyList<T> Items, string ResourceVersion);

/// <summary>
/// ResourceExpiredException: the server no longer has the requested resourceVersion (HTTP 410 Gone, reason
/// Expired). The informer must re-list; watching again from the same version would fail forever.
/// </summary>
public sealed class ResourceExpiredException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ResourceExpiredException() { }

    /// <summary>Creates the exception with the server's message.</summary>
    public ResourceExpiredException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ResourceExpiredException(string message, Exception innerException) : base(message, innerException) { }
}
