namespace HipaaMongo.Kmip.Transport;

/// <summary>Sends one encoded request message and returns the encoded response message.</summary>
public interface IKmipTransport
{
    Task<byte[]> RoundTripAsync(byte[] request, CancellationToken cancellationToken);
}
