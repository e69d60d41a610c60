using System.Security.Cryptography;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>Private-key generation, PEM encoding and reuse checks per Certificate.spec.privateKey.</summary>
public static class PrivateKeys
{
    /// <summary>The algorithm named by the spec (RSA when unset), normalised to RSA / ECDSA / Ed25519.</summary>
    public static string Algorithm(CertificatePrivateKey? spec) => (spec?.Algorithm ?? "RSA").ToUpperInvariant() switch
    {
        "RSA" => "RSA",
        "ECDSA" => "ECDSA",
        "ED25519" => "Ed25519",
        var other => throw new CertificateIssuanceException($"privateKey.algorithm '{other}' is not RSA, ECDSA or Ed25519"),
    };

    /// <summary>The key size the spec asks for, with cert-manager's defaults (RSA 2048, ECDSA 256).</summary>
    public static int Size(CertificatePrivateKey? spec)
    {
        var algorithm = Algorithm(spec);
        var size = spec?.Size is > 0 ? spec.Size.Value : algorithm == "ECDSA" ? 256 : 2048;
        var valid = algorithm switch
        {
            "RSA" => size is >= 2048 and <= 8192,
            "ECDSA" => size is 256 or 384 or 521,
            _ => true,
        };
        return valid ? size : throw new CertificateIssuanceException($"privateKey.size {size} is not valid for {algorithm}");
    }

    /// <summary>Generates a fresh key. Ed25519 is refused: .NET has no Ed25519 X.509 signing.</summary>
    public static AsymmetricAlgorithm Generate(CertificatePrivateKey? spec)
    {
        var size = Size(spec);
        return Algorithm(spec) switch
        {
            "RSA" => RSA.Create(size),
            "ECDSA" => ECDsa.Create(Curve(size)),
            _ => throw new CertificateIssuanceException("privateKey.algorithm Ed25519 is not supported by this simulation"),
        };
    }

    /// <summary>Loads a PEM private key (PKCS#1, SEC1 or PKCS#8); null when it is missing or unreadable.</summary>
    public static AsymmetricAlgorithm? TryLoad(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return null;
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            return rsa;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            rsa.Dispose();
        }
        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            return ec;
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            ec.Dispose();
            return null;
        }
    }

    /// <summary>True when <paramref name="key"/> has the algorithm and size the spec asks for.</summary>
    public static bool Fits(AsymmetricAlgorithm key, CertificatePrivateKey? spec) => key switch
    {
        RSA rsa => Algorithm(spec) == "RSA" && rsa.KeySize == Size(spec),
        ECDsa ec => Algorithm(spec) == "ECDSA" && ec.KeySize == Size(spec),
        _ => false,
    };

    /// <summary>PEM per privateKey.encoding: PKCS1 (default; SEC1 "EC PRIVATE KEY" for ECDSA) or PKCS8.</summary>
    public static string ExportPem(AsymmetricAlgorithm key, CertificatePrivateKey? spec)
    {
        var encoding = (spec?.Encoding ?? "PKCS1").ToUpperInvariant();
        return (encoding, key) switch
        {
            ("PKCS8", _) => key.ExportPkcs8PrivateKeyPem(),
            ("PKCS1", RSA rsa) => rsa.ExportRSAPrivateKeyPem(),
            ("PKCS1", ECDsa ec) => ec.ExportECPrivateKeyPem(),
            _ => throw new CertificateIssuanceException($"privateKey.encoding '{spec?.Encoding}' is not PKCS1 or PKCS8"),
        };
    }

    private static ECCurve Curve(int size) => size switch
    {
        384 => ECCurve.NamedCurves.nistP384,
        521 => ECCurve.NamedCurves.nistP521,
        _ => ECCurve.NamedCurves.nistP256,
    };
}
