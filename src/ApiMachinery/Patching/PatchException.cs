namespace HipaaMongo.ApiMachinery;

/// <summary>A patch that cannot be applied. The message is safe to return to a client.</summary>
public sealed class PatchException : Exception
{
    public PatchException() { }

    public PatchException(string message) : base(message) { }

    public PatchException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Set when an RFC 6902 <c>test</c> operation failed (kube-apiserver answers 422, not 400).</summary>
    public bool IsTestFailure { get; init; }

    /// <summary>The patch document itself is malformed (kube-apiserver answers 400); otherwise applying failed (422).</summary>
    public bool IsMalformed { get; init; }
}
