namespace HipaaMongo.Operator.Reconciliation.Apply;

/// <summary>
/// Thrown at the end of a pass (after its status was written) when a child met an error retrying can fix, so the
/// work queue retries the key with backoff. The message names the child and the API's message.
/// </summary>
public sealed class ChildApplyException : ControllerRuntime.Reconcile.TransientReconcileException
{
    public ChildApplyException() { }

    public ChildApplyException(string message) : base(message) { }

    public ChildApplyException(string message, Exception innerException) : base(message, innerException) { }
}
