using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>Bearer tokens and the users they stand for (the admin token is in system:masters).</summary>
public sealed class TokenRegistry
{
    readonly ConcurrentDictionary<string, UserInfo> tokens = new(StringComparer.Ordinal);

    public string Issue(UserInfo user)
    {
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        tokens[token] = user;
        return token;
    }

    public void Add(string token, UserInfo user) => tokens[token] = user;

    /// <summary>The user for a token; compares in constant time per candidate so timing does not reveal tokens.</summary>
    public UserInfo? Find(string token)
    {
        var given = Encoding.UTF8.GetBytes(token);
        UserInfo? found = null;
        foreach (var (candidate, user) in tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(candidate)))
            {
                found = user;
            }
        }
        return found;
    }
}
