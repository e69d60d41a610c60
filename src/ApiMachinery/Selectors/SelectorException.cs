namespace HipaaMongo.ApiMachinery;

/// <summary>A label or field selector that does not parse; the message is kube-apiserver's text (answer 400).</summary>
public sealed class SelectorException : Exception
{
    public SelectorException() { }

    public SelectorException(string message) : base(message) { }

    public SelectorException(string message, Exception inner) : base(message, inner) { }
}
