using HipaaMongo.MongodSimulator.Auth.Ldap;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// mongod's $external user cache as the simulator keeps it (docs/mongod-simulator.md, "LDAP"): every entry is flushed
/// together every ldapUserCacheInvalidationInterval seconds from the last flush, on the server's clock.
/// </summary>
public sealed class LdapUserCacheTests
{
    private const string Readers = "cn=phi-readers,ou=groups,dc=example,dc=org";

    [Fact]
    public void An_entry_is_served_until_the_interval_since_the_last_flush_and_is_gone_after()
    {
        var clock = new ManualClock();
        var cache = new LdapUserCache(clock, () => 30);
        clock.Advance(TimeSpan.FromSeconds(10));
        cache.Put("alice", [Readers]);

        clock.Advance(TimeSpan.FromSeconds(19));
        Assert.True(cache.TryGet("alice", out var groups));
        Assert.Equal([Readers], groups);
        Assert.False(cache.TryGet("bob", out _));

        // The flush is at 30 s from the start (the job's schedule), not 30 s after alice was read.
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("alice", out _));
    }

    [Fact]
    public void The_schedule_stays_on_whole_intervals_when_nobody_asks_in_between()
    {
        var clock = new ManualClock();
        var cache = new LdapUserCache(clock, () => 30);
        clock.Advance(TimeSpan.FromSeconds(75)); // flushes due at 30 and 60
        cache.Put("alice", [Readers]);

        clock.Advance(TimeSpan.FromSeconds(14)); // 89 s: the next flush is at 90
        Assert.True(cache.TryGet("alice", out _));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(cache.TryGet("alice", out _));
    }

    [Fact]
    public void A_shorter_interval_set_at_runtime_applies_from_the_last_flush()
    {
        var clock = new ManualClock();
        var interval = 30;
        var cache = new LdapUserCache(clock, () => interval);
        cache.Put("alice", [Readers]);
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.True(cache.TryGet("alice", out _));

        interval = 5; // setParameter wakes mongod's job, which then flushes at last flush + 5 s, already past
        Assert.False(cache.TryGet("alice", out _));
    }
}
