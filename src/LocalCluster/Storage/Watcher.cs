using System.Threading.Channels;

namespace HipaaMongo.LocalCluster.Storage;

/// <summary>One open watch's queue of store events (filtered later by namespace and selectors).</summary>
public sealed class Watcher : IDisposable
{
    readonly Action<Watcher> unsubscribe;
    readonly CancellationTokenSource dropped = new();

    internal Watcher(string storeKey, Action<Watcher> unsubscribe)
    {
        StoreKey = storeKey;
        this.unsubscribe = unsubscribe;
    }

    public string StoreKey { get; }

    public Channel<WatchEvent> Events { get; } = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Cancelled when the server drops every watch (fault injection) or stops.</summary>
    public CancellationToken Dropped => dropped.Token;

    internal void Drop()
    {
        Events.Writer.TryComplete();
        dropped.Cancel();
    }

    public void Dispose()
    {
        unsubscribe(this);
        dropped.Dispose();
    }
}
