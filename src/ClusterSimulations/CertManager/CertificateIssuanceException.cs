namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>A Certificate or issuer that cannot be issued as specified (bad duration, unsupported key, bad CA secret).</summary>
public sealed class CertificateIssuanceException : Exception
{
    public CertificateIssuanceException() { }

    public CertificateIssuanceException(string message) : base(message) { }

    public CertificateIssuanceException(string message, Exception innerException) : base(message, innerException) { }
}
