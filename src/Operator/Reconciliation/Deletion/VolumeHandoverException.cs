namespace HipaaMongo.Operator.Reconciliation.Deletion;

/// <summary>The handover is not complete yet; the finalizer stays and the reconcile is retried with backoff.</summary>
public sealed class VolumeHandoverException : Exception
{
    public VolumeHandoverException()
    {
    }

    public VolumeHandoverException(string message)
        : base(message)
    {
    }

    public VolumeHandoverException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
