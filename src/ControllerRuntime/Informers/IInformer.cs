namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>IInformer is what the host needs of any informer: run it and know when its cache is usable.</summary>
public interface IInformer
{
    /// <summary>True once the first list has been stored (drives /readyz).</summary>
    bool HasSynced { get; }

    /// <summary>Runs until cancelled.</summary>
    Task RunAsync(CancellationToken cancellationToken);
}
