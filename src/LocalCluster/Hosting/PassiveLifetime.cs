using Microsoft.Extensions.Hosting;

namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>
/// A host lifetime that does not touch process signals: the server is a library inside tests, and the
/// `local-cluster` executable handles Ctrl-C and SIGTERM itself.
/// </summary>
sealed class PassiveLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
