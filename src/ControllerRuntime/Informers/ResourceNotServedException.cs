namespace HipaaMongo.ControllerRuntime.Informers;

/// <summary>
/// ResourceNotServedException: the API server answered 404 to a list or watch of a whole resource, which means it
/// does not serve that group/version/resource at all (a CustomResourceDefinition not installed, or an API version
/// not enabled). A list in a namespace that does not exist is an empty list, not a 404, so nothing else maps here.
/// </summary>
public sealed class ResourceNotServedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ResourceNotServedException() { }

    /// <summary>Creates the exception with a message naming the resource.</summary>
    public ResourceNotServedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and cause.</summary>
    public ResourceNotServedException(string message, Exception innerException) : base(message, innerException) { }
}
