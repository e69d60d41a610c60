namespace HipaaMongo.Entities.Validation;

internal static class EncryptionRules
{
    private const string Path = "spec.encryption.kmip";

    public static void Check(EncryptionSpec? encryption, EncryptionSpec? old, ErrorList errors)
    {
        if (!errors.Check(encryption?.Kmip is not null, Path,
                "encryption.kmip is required: encryption at rest with a KMIP-held master key is always on")) return;
        var kmip = encryption!.Kmip;
        CheckServers(kmip.Servers, errors);
        SecretRefRules.Check(kmip.ServerCaSecretRef, Path + ".serverCaSecretRef", errors);
        CheckClientCertificate(kmip.ClientCertificate, errors);
        CheckKeyIdentifier(kmip.KeyIdentifier, old?.Kmip?.KeyIdentifier, errors);
        errors.Check(kmip.KeyStatePollingSeconds is >= 30 and <= 86400, Path + ".keyStatePollingSeconds",
            "keyStatePollingSeconds must be between 30 and 86400 (key-state polling cannot be disabled)");
        CheckRotation(kmip, errors);
    }

    // A rotated member's data files name the new key; a keyIdentifier in its config would then refuse the start
    // (PSMDB key_operations.cpp kNotEqualKeyIds, PSMDB-1129), and keyIdentifier cannot change: the two exclude each other.
    private static void CheckRotation(KmipSpec kmip, ErrorList errors)
    {
        if (kmip.MasterKeyRotation is not { } rotation) return;
        var path = Path + ".masterKeyRotation";
        errors.Check(kmip.KeyIdentifier is null, path,
            "masterKeyRotation needs a master key mongod creates: with keyIdentifier set, a rotated member would refuse to start on the key it names (PSMDB-1129)");
        errors.Check(rotation.RequestedAt is { Length: >= 1 and <= 64 } t && IsToken(t), path + ".requestedAt",
            "requestedAt must be 1 to 64 characters of letters, digits and :._+- (e.g. 2026-12-07T18:00:00Z)");
    }

    private static bool IsToken(string t) =>
        char.IsAsciiLetterOrDigit(t[0]) && t.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '.' or '_' or '+' or '-');

    private static void CheckServers(List<string>? servers, ErrorList errors)
    {
        if (!errors.Check(servers is { Count: > 0 }, Path + ".servers", "at least one KMIP server is required")) return;
        errors.Check(servers!.Count <= 8, Path + ".servers", "at most 8 KMIP servers are allowed");
        int? firstPort = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < servers.Count; i++)
        {
            var path = $"{Path}.servers[{i}]";
            if (!errors.Check(HostPorts.TryParse(servers[i], out _, out var port), path,
                    "KMIP server must be host:port with a port from 1 to 65535 (e.g. kmip.example.org:5696)")) continue;
            errors.Check(seen.Add(servers[i]), path, "duplicate KMIP server");
            firstPort ??= port;
            errors.Check(port == firstPort, path, "all KMIP servers must use the same port (mongod takes one port)");
        }
    }

    private static void CheckClientCertificate(KmipClientCertificate? certificate, ErrorList errors)
    {
        var path = Path + ".clientCertificate";
        if (!errors.Check(certificate is not null, path, "clientCertificate is required")) return;
        if (!errors.Check((certificate!.IssuerRef is null) != (certificate.SecretName is null), path,
                "clientCertificate needs exactly one of issuerRef or secretName")) return;
        if (certificate.IssuerRef is not null) IssuerRules.Check(certificate.IssuerRef, path + ".issuerRef", errors);
        if (certificate.SecretName is not null)
            errors.Check(Names.IsDnsSubdomain(certificate.SecretName), path + ".secretName",
                "secretName must be a DNS subdomain name");
    }

    private static void CheckKeyIdentifier(string? keyIdentifier, string? oldKeyIdentifier, ErrorList errors)
    {
        var path = Path + ".keyIdentifier";
        if (keyIdentifier is not null)
            errors.Check(keyIdentifier.Length is >= 1 and <= 256 && keyIdentifier.All(c => c is > ' ' and <= '~'), path,
                "keyIdentifier must be 1 to 256 printable characters without spaces");
        if (oldKeyIdentifier is not null)
            errors.Check(keyIdentifier == oldKeyIdentifier, path,
                "keyIdentifier cannot change or be removed once set: rotate the master key instead");
    }
}
