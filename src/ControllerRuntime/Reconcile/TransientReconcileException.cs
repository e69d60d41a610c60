namespace HipaaMongo.ControllerRuntime.Reconcile;

/// <summary>
/// TransientReconcileException reports an expected failure that a retry may fix (the API server answered 409, 429,
/// 5xx or not at all, and the pass already recorded it in status): the controller requeues the key with backoff
/// and logs one line with the message, no stack trace, since the message already names what failed.
/// </summary>
public class TransientReconcileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TransientReconcileException() { }

    /// <summary>Creates the exception with a message (no secrets: it is logged).</summary>
    public TransientReconcileException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TransientReconcileException(string message, Exception innerException) : base(message, innerException) { }
}
