using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.ControllerRuntime.Hosting.Metrics;

/// <summary>
/// The certificate the HTTPS listeners serve. With a directory, its tls.crt and tls.key (a mounted cert-manager
/// Secret), read again whenever tls.crt changes so a renewal needs no restart, as controller-runtime's certwatcher
/// does. Without one, a self-signed certificate made in memory at start, as controller-runtime's metrics server does
/// when no CertDir is given (pkg/metrics/server: certutil.GenerateSelfSignedCertKeyWithFixtures); its key is never
/// written anywhere.
/// </summary>
public sealed class ServingCertificate : IDisposable
{
    private readonly string? _dir;
    private readonly Lock _gate = new();
    private X509Certificate2? _current;
    private DateTime _loadedWrite;

    public ServingCertificate(string? dir)
    {
        _dir = string.IsNullOrEmpty(dir) ? null : dir;
        if (_dir is not null && !(File.Exists(CertPath) && File.Exists(KeyPath)))
        {
            throw new ArgumentException($"MetricsCertDir '{_dir}' must hold tls.crt and tls.key");
        }
    }

    private string CertPath => Path.Combine(_dir!, "tls.crt");

    private string KeyPath => Path.Combine(_dir!, "tls.key");

    /// <summary>The certificate to serve now.</summary>
    public X509Certificate2 Current()
    {
        lock (_gate)
        {
            if (_dir is null)
            {
                return _current ??= SelfSigned();
            }
            var written = File.GetLastWriteTimeUtc(CertPath);
            if (_current is null || written != _loadedWrite)
            {
                var loaded = X509Certificate2.CreateFromPemFile(CertPath, KeyPath);
                _current?.Dispose();
                _current = loaded;
                _loadedWrite = written;
            }
            return _current;
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(1));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _current?.Dispose();
            _current = null;
        }
    }
}
