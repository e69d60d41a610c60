using System.Security.Cryptography;

namespace HipaaMongo.Operator.Users.Credentials;

/// <summary>
/// Generated SCRAM passwords: 40 characters drawn uniformly from 62 letters and digits by the OS CSPRNG
/// (RandomNumberGenerator.GetString rejects biased draws), about 238 bits. Letters and digits only, so the
/// password needs no escaping in a connection string.
/// </summary>
public static class PasswordGenerator
{
    public const int Length = 40;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);
}
