using System.Security.Cryptography.X509Certificates;

namespace HipaaMongo.MongodSimulator.Auth.Ldap;

/// <summary>
/// What mongod's libldap reads from ldap.conf(5) for TLS: TLS_CACERT (the CAs a server certificate must chain to) and
/// TLS_REQCERT. The file is the one the LDAPCONF environment variable names (the operator renders it and sets
/// LDAPCONF), else /etc/ldap/ldap.conf. Only "demand" and "hard" (the default, checked) are simulated: "never" and
/// "allow" would accept any server, and the simulator refuses them rather than pretend.
/// </summary>
public sealed record LdapClientConf(string? CaCertFile, string RequireCert)
{
    public static LdapClientConf Default { get; } = new(null, "demand");

    public static LdapClientConf Load(string? path)
    {
        var file = path ?? "/etc/ldap/ldap.conf";
        if (!File.Exists(file))
        {
            return Default;
        }

        string? ca = null;
        var require = "demand";
        foreach (var raw in File.ReadLines(file))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            var parts = line.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (parts.Length != 2)
            {
                continue;
            }
            switch (parts[0].ToUpperInvariant())
            {
                case "TLS_CACERT":
                    ca = parts[1];
                    break;
                case "TLS_REQCERT":
                    require = parts[1].ToLowerInvariant();
                    break;
            }
        }
        return new LdapClientConf(ca, require);
    }

    /// <summary>The CAs to trust; null: the system's store (libldap without TLS_CACERT).</summary>
    internal X509Certificate2Collection? Trust()
    {
        if (RequireCert is not ("demand" or "hard"))
        {
            throw new Ldap.LdapException($"TLS_REQCERT {RequireCert} is not simulated: only demand/hard (verify the server) are");
        }
        if (CaCertFile is null)
        {
            return null;
        }
        var trust = new X509Certificate2Collection();
        try
        {
            trust.ImportFromPemFile(CaCertFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new Ldap.LdapException($"TLS: could not load TLS_CACERT {CaCertFile} ({e.GetType().Name})");
        }
        return trust;
    }
}
