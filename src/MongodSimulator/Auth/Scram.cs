using System.Security.Cryptography;
using System.Text;

namespace HipaaMongo.MongodSimulator.Auth;

/// <summary>The server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) for one stored credential.</summary>
public sealed class ScramCredential
{
    private ScramCredential(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey)
    {
        Salt = salt;
        Iterations = iterations;
        StoredKey = storedKey;
        ServerKey = serverKey;
    }

    public byte[] Salt { get; }

    public int Iterations { get; }

    public byte[] StoredKey { get; }

    public byte[] ServerKey { get; }

    /// <summary>Derives the stored keys; the password itself is never kept.</summary>
    public static ScramCredential Create(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(28);
        var salted = Rfc2898DeriveBytes.Pbkdf2(SaslPrep(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        return new ScramCredential(salt, iterations, SHA256.HashData(clientKey), HMACSHA256.HashData(salted, "Server Key"u8));
    }

    /// <summary>A credential as read back from admin.system.users (credentials."SCRAM-SHA-256").</summary>
    internal static ScramCredential Restore(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) =>
        new(salt, iterations, storedKey, serverKey);

    /// <summary>SASLprep for the common case: NFKC normalisation (the drivers do the same for ASCII passwords).</summary>
    private static byte[] SaslPrep(string password) => Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC));
}

/// <summary>One saslStart/saslContinue conversation. Any failure is reported as AuthenticationFailed by the caller.</summary>
public sealed class ScramConversation
{
    private readonly Func<string, ScramCredential?> _lookup;
    private string? _clientFirstBare;
    private string? _serverFirst;
    private string? _nonce;
    private ScramCredential? _credential;

    public ScramConversation(Func<string, ScramCredential?> lookup) => _lookup = lookup;

    public string? UserName { get; private set; }

    /// <summary>Handles client-first; returns server-first, or null when the exchange must fail.</summary>
    public string? Start(string clientFirst)
    {
        if (!clientFirst.StartsWith("n,", StringComparison.Ordinal) && !clientFirst.StartsWith("y,", StringComparison.Ordinal))
        {
            return null; // channel binding ("p=") is not offered by mongod
        }

        var second = clientFirst.IndexOf(',', 2);
        if (second < 0)
        {
            return null;
        }

        _clientFirstBare = clientFirst[(second + 1)..];
        var attrs = Parse(_clientFirstBare);
        if (!attrs.TryGetValue('n', out var user) || !attrs.TryGetValue('r', out var cnonce) || cnonce.Length == 0)
        {
            return null;
        }

        UserName = user.Replace("=2C", ",", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);
        _credential = _lookup(UserName);
        // An unknown user still gets a plausible challenge so the reply does not reveal which users exist.
        var salt = _credential?.Salt ?? RandomNumberGenerator.GetBytes(28);
        var iterations = _credential?.Iterations ?? 15000;
        _nonce = cnonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
        _serverFirst = $"r={_nonce},s={Convert.ToBase64String(salt)},i={iterations}";
        return _serverFirst;
    }

    /// <summary>Handles client-final; returns server-final ("v=...") on a valid proof, else null.</summary>
    public string? Continue(string clientFinal)
    {
        if (_credential is null || _serverFirst is null)
        {
            return null;
        }

        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        if (proofAt < 0)
        {
            return null;
        }

        var withoutProof = clientFinal[..proofAt];
        var attrs = Parse(clientFinal);
        if (!attrs.TryGetValue('r', out var nonce) || nonce != _nonce || !attrs.TryGetValue('p', out var proofB64))
        {
            return null;
        }

        byte[] proof;
        try
        {
            proof = Convert.FromBase64String(proofB64);
        }
        catch (FormatException)
        {
            return null;
        }

        var authMessage = Encoding.UTF8.GetBytes($"{_clientFirstBare},{_serverFirst},{withoutProof}");
        var signature = HMACSHA256.HashData(_credential.StoredKey, authMessage);
        if (proof.Length != signature.Length)
        {
            return null;
        }

        var clientKey = new byte[proof.Length];
        for (var i = 0; i < proof.Length; i++)
        {
            clientKey[i] = (byte)(proof[i] ^ signature[i]);
        }

        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(clientKey), _credential.StoredKey))
        {
            return null;
        }

        return "v=" + Convert.ToBase64String(HMACSHA256.HashData(_credential.ServerKey, authMessage));
    }

    private static Dictionary<char, string> Parse(string message)
    {
        var d = new Dictionary<char, string>();
        foreach (var part in message.Split(','))
        {
            if (part.Length >= 2 && part[1] == '=')
            {
                d.TryAdd(part[0], part[2..]);
            }
        }

        return d;
    }
}
