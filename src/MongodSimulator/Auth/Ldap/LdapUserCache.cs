namespace HipaaMongo.MongodSimulator.Auth.Ldap;

/// <summary>
/// mongod's user cache for $external users authorized through LDAP (docs/mongod-simulator.md, "LDAP user cache"):
/// the group DNs the authz query returned for a user are kept and used by every later login and command of that user
/// until the whole $external part of the cache is flushed, every ldapUserCacheInvalidationInterval seconds (default
/// 30, 1..86400, settable at start-up and at runtime: PSMDB src/mongo/db/ldap_options.idl; the flush is
/// invalidateUsersFromDB("$external") in a loop that sleeps one interval from its last wake-up, re-reading the
/// interval when setParameter changes it). The flush is evaluated when the cache is used, on the clock's schedule
/// (last flush + n whole intervals), so a fake clock moves it without a background thread.
/// </summary>
internal sealed class LdapUserCache(TimeProvider clock, Func<int> intervalSeconds)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IReadOnlyList<string>> _groups = new(StringComparer.Ordinal);
    private DateTimeOffset _lastFlush = clock.GetUtcNow();

    /// <summary>The cached group DNs of <paramref name="user"/>; false when it is not cached (never read, or flushed).</summary>
    public bool TryGet(string user, out IReadOnlyList<string> groups)
    {
        lock (_gate)
        {
            FlushIfDue();
            if (_groups.TryGetValue(user, out var found))
            {
                groups = found;
                return true;
            }
        }
        groups = [];
        return false;
    }

    /// <summary>Caches the group DNs just read from the directory for <paramref name="user"/>.</summary>
    public void Put(string user, IReadOnlyList<string> groups)
    {
        lock (_gate)
        {
            FlushIfDue();
            _groups[user] = groups;
        }
    }

    private void FlushIfDue()
    {
        var interval = TimeSpan.FromSeconds(Math.Max(1, intervalSeconds()));
        var elapsed = clock.GetUtcNow() - _lastFlush;
        if (elapsed < interval)
        {
            return;
        }
        _groups.Clear();
        _lastFlush += interval * Math.Floor(elapsed / interval);
    }
}
