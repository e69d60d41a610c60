using HipaaMongo.LocalCluster.Hosting;
using k8s;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>One in-process LocalCluster per test class, with a kubeconfig and a kubectl cache dir of its own.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    readonly string dir = Path.Combine(Path.GetTempPath(), "lc-tests-" + Guid.NewGuid().ToString("N"));

    public LocalClusterServer Server { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public Kubectl Kubectl { get; private set; } = null!;

    public string KubeconfigPath => Path.Combine(dir, "kubeconfig");

    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(dir);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        Server = await LocalClusterServer.StartAsync(new LocalClusterOptions { KubeconfigPath = kubeconfig, WatchHistoryWindow = 1000 });
        Client = Server.CreateClient();
        Kubectl = new Kubectl(kubeconfig, Path.Combine(dir, "cache"));
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp dir left behind is harmless.
        }
    }
}
