namespace HipaaMongo.ControllerRuntime.Hosting;

/// <summary>IRunnable is work the manager starts only on the leader (a controller), stopped when leadership ends.</summary>
public interface IRunnable
{
    /// <summary>Runs until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
