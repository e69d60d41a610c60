namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>How to start a LocalCluster.</summary>
public sealed class LocalClusterOptions
{
    /// <summary>TCP port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>Where to write the kubeconfig; null writes none (the config is still on the server object).</summary>
    public string? KubeconfigPath { get; set; }

    /// <summary>The admin bearer token; null generates a random one.</summary>
    public string? Token { get; set; }

    /// <summary>How many change events watches can resume from before "too old resource version" (410).</summary>
    public int WatchHistoryWindow { get; set; } = 10_000;

    /// <summary>How often an open watch with allowWatchBookmarks gets a BOOKMARK (the real server: about a minute).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A file to load objects from at start and save them to at stop (null: memory only).</summary>
    public string? StatePath { get; set; }

    /// <summary>Authorize requests with RBAC (the admin token stays in system:masters and may do anything).</summary>
    public bool EnableRbac { get; set; }

    /// <summary>Plain HTTP instead of TLS (both clients accept it); TLS is the default.</summary>
    public bool PlainHttp { get; set; }

    /// <summary>An optional virtual clock for the admin clock endpoints (null: they answer 400).</summary>
    public ClockHook? Clock { get; set; }

    /// <summary>Where <c>POST /admin/members/faults</c> goes (null or without a handler: it answers 400).</summary>
    public MemberFaultHook? MemberFaults { get; set; }
}
