using System.Collections.Concurrent;
using HipaaMongo.Operator.Members;

namespace HipaaMongo.Operator.Reconciliation.Verification;

/// <summary>
/// What the reconciler remembers of one HipaaMongo between passes (in memory only: a restarted operator derives
/// what it can from the status). The runtime never runs two passes of one key at once, so no locking is needed.
/// </summary>
public sealed class ResourceMemory
{
    public VerificationHistory? History { get; set; }

    /// <summary>The last verification of each member (empty before the first).</summary>
    public IReadOnlyList<MemberVerification>? Members { get; set; }

    /// <summary>The replica set was found initiated with its users (EnsureBootstrapped answered done).</summary>
    public bool Bootstrapped { get; set; }

    private readonly Dictionary<string, HashSet<string>> _announced = new(StringComparer.Ordinal);

    /// <summary>
    /// The problems of <paramref name="scope"/> not yet announced, remembering <paramref name="current"/> as the
    /// scope's state: a Warning goes out once per state, and again only after the problem cleared and came back.
    /// </summary>
    public IReadOnlyList<string> Unannounced(string scope, IReadOnlyCollection<string> current)
    {
        var before = _announced.GetValueOrDefault(scope) ?? [];
        _announced[scope] = new HashSet<string>(current, StringComparer.Ordinal);
        return [.. current.Where(p => !before.Contains(p))];
    }
}

/// <summary>Memory per resource uid (a deleted and re-created resource starts fresh).</summary>
public sealed class ReconcileMemory
{
    private readonly ConcurrentDictionary<string, ResourceMemory> _byUid = new(StringComparer.Ordinal);

    public ResourceMemory For(string uid) => _byUid.GetOrAdd(uid, _ => new ResourceMemory());

    public void Forget(string uid) => _byUid.TryRemove(uid, out _);
}
