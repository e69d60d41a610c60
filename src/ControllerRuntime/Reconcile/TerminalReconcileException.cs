namespace HipaaMongo.ControllerRuntime.Reconcile;

/// <summary>
/// TerminalReconcileException reports a failure that retrying cannot fix (an invalid spec): the controller logs
/// and counts it but does not requeue the key. The next change to the object triggers a new pass.
/// </summary>
public sealed class TerminalReconcileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TerminalReconcileException() { }

    /// <summary>Creates the exception with a message (no secrets: it is logged).</summary>
    public TerminalReconcileException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TerminalReconcileException(string message, Exception innerException) : base(message, innerException) { }
}
