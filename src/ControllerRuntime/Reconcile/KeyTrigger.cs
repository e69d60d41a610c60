namespace HipaaMongo.ControllerRuntime.Reconcile;

/// <summary>
/// KeyTrigger wakes a controller from outside its informers, as controller-runtime's channel source does: the
/// runtime attaches the controller's work queue, and <see cref="Enqueue"/> adds a key to it. The queue's rule
/// still holds (one pass per key at a time, a key added while its pass runs is run again afterwards), so a caller
/// never runs a second, concurrent pass of its own.
/// </summary>
public sealed class KeyTrigger
{
    private Action<ObjectKey>? _enqueue;

    /// <summary>Adds <paramref name="key"/> to the attached controller's queue; throws before the controller is built.</summary>
    public void Enqueue(ObjectKey key)
    {
        var enqueue = Volatile.Read(ref _enqueue) ?? throw new InvalidOperationException("no controller is attached to this trigger yet");
        enqueue(key);
    }

    internal void Attach(Action<ObjectKey> enqueue) => Volatile.Write(ref _enqueue, enqueue);
}
