using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// Heartbeats, initial sync and elections, on the member's clock. The rules and their sources are listed in
/// docs/mongod-simulator.md ("Replica sets"): a member heartbeats the others every heartbeatIntervalMillis only while
/// it is in its own config; a member without a config answers a heartbeat by fetching the sender's config and runs
/// initial sync (STARTUP2) before it becomes SECONDARY; a secondary that has not heard from a primary for
/// electionTimeoutMillis plus a random offset of up to 15 % stands for election and wins with a majority of voters
/// that are no further ahead than it is; a primary that cannot see a majority for electionTimeoutMillis steps down.
/// </summary>
public sealed partial class ReplState
{
    private const double ElectionOffsetFraction = 0.15; // electionTimeoutOffsetLimitFraction's default
    private ITimer? _heartbeats;
    private DateTimeOffset _lastPrimaryContact;
    private DateTimeOffset _primarySawMajority;
    private TimeSpan _electionOffset = TimeSpan.Zero;
    private int _syncGeneration;
    private DateTimeOffset _nextHeartbeat;
    private readonly Dictionary<string, MemberData> _memberData = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Fault: the process stops answering (hung on I/O, SIGSTOP) while its port stays open. Heartbeats to it time out,
    /// so its peers mark it down after heartbeatTimeoutSecs, and it sends none itself.
    /// </summary>
    internal bool Hung
    {
        get => Volatile.Read(ref _hung);
        set => Volatile.Write(ref _hung, value);
    }

    private bool _hung;

    /// <summary>How long an initial sync takes (tests: a slow one); zero completes it within the heartbeat that starts it.</summary>
    internal TimeSpan InitialSyncDelay { get; set; }

    internal void StartHeartbeats()
    {
        if (SetName is not null)
        {
            var interval = TimeSpan.FromMilliseconds(500);
            _heartbeats = _clock.CreateTimer(_ => Heartbeat(), null, interval, interval);
        }
    }

    internal void StopHeartbeats()
    {
        _heartbeats?.Dispose();
        _heartbeats = null;
        Interlocked.Increment(ref _syncGeneration);
    }

    private TimeSpan Setting(string name, int fallback) =>
        TimeSpan.FromMilliseconds(Config?["settings"].AsBsonDocument.GetValue(name, fallback).ToInt32() ?? fallback);

    /// <summary>
    /// One round, run by a short timer and acting every heartbeatIntervalMillis: learn each reachable peer's state,
    /// hand the config to a peer that has none (or an older one), then check the election timers.
    /// </summary>
    private void Heartbeat()
    {
        try
        {
            var now = _clock.GetUtcNow();
            if (!Hung)
            {
                ApplyDue(now); // the oplog applier's round: apply what is due, then try to go live
                TryGoLive();
            }

            if (Config is null || SelfMember() is null || now < _nextHeartbeat)
            {
                return; // not in a config: no heartbeats; a member that has us in its config will contact us
            }

            _nextHeartbeat = now + Setting("heartbeatIntervalMillis", 2000);
            if (Hung)
            {
                return;
            }

            HeartbeatRound(now);
            CheckElectionTimers(now);
        }
        catch (Exception e) when (e is InvalidOperationException or KeyNotFoundException or InvalidCastException)
        {
            // a config replaced mid-round; the next round sees the new one
        }
    }

    /// <summary>
    /// One heartbeat to every other member of the config; each reply (or its absence) updates what this member knows of
    /// that peer (<see cref="MemberData"/>), which is what replSetGetStatus reports. A peer not found on the network
    /// (stopped, killed, partitioned away) refuses the connection and is down at once (its retries fail at once too);
    /// a hung one is down once heartbeatTimeoutSecs has passed since its last reply
    /// (TopologyCoordinator::processHeartbeatResponse: "alreadyElapsed >= heartbeatTimeoutPeriod").
    /// </summary>
    private void HeartbeatRound(DateTimeOffset now)
    {
        if (Config is null || SelfMember() is null || Hung)
        {
            return;
        }

        var timeout = TimeSpan.FromSeconds(Config["settings"].AsBsonDocument.GetValue("heartbeatTimeoutSecs", 10).ToInt32());
        foreach (var (member, peer) in Peers().ToList())
        {
            var host = member["host"].AsString;
            var response = peer?.RespondToHeartbeat(this);
            lock (_gate)
            {
                var data = MemberDataLocked(host);
                if (response is not null)
                {
                    data.SetUp(now, response);
                }
                else if (peer is null)
                {
                    data.SetDown(now, $"Error connecting to {host} :: caused by :: Connection refused");
                }
                else if (data.LastReply is not { } last || now - last >= timeout)
                {
                    data.SetDown(now, $"Couldn't get a connection within the time limit of {(int)timeout.TotalMilliseconds}ms");
                }
            }

            if (peer is not null && response is not null)
            {
                Observe(peer, response);
            }
        }

        AdvanceCommitPoint();
    }

    private MemberData MemberDataLocked(string host)
    {
        if (!_memberData.TryGetValue(host, out var data))
        {
            data = new MemberData();
            _memberData[host] = data;
        }

        return data;
    }

    /// <summary>What this member last learned of <paramref name="host"/> by heartbeat (a copy, for replSetGetStatus).</summary>
    internal MemberData HeartbeatData(string host)
    {
        lock (_gate)
        {
            return MemberDataLocked(host).Clone();
        }
    }

    /// <summary>A heartbeat from <paramref name="sender"/> reaches this member; a hung member never answers (null).</summary>
    private HeartbeatResponse? RespondToHeartbeat(ReplState sender)
    {
        if (Hung)
        {
            return null;
        }

        ReceiveHeartbeatFrom(sender);
        var state = State;
        lock (_gate)
        {
            MemberDataLocked(sender.Me).LastHeartbeatRecv = _clock.GetUtcNow();
            return new HeartbeatResponse(state, LastAppliedOpTime, LastAppliedWall, LastAppliedOpTime, LastAppliedWall,
                Config?["version"].ToInt32() ?? -2, Config?.GetValue("term", -1L).ToInt64() ?? -1, Term,
                state == MemberState.Primary ? "" : SyncSource, ElectionTime, LastCommitted);
        }
    }

    /// <summary>A heartbeat request reaches this member: without a config (or with an older one) it fetches the sender's.</summary>
    private void ReceiveHeartbeatFrom(ReplState sender)
    {
        var theirs = sender.Config;
        if (theirs is null || !theirs["members"].AsBsonArray.Any(m => SelfNames.Contains(m["host"].AsString, StringComparer.OrdinalIgnoreCase)))
        {
            return;
        }

        var mine = Config;
        if (mine is null || mine["version"].ToInt32() < theirs["version"].ToInt32())
        {
            AcceptConfig(theirs, sender.Term, mine is null ? sender : null);
        }
    }

    /// <summary>
    /// A heartbeat response from <paramref name="peer"/>: its term, whether it is primary, how far it has applied. A
    /// secondary learns the commit point from the primary, never beyond what it has applied itself.
    /// </summary>
    private void Observe(ReplState peer, HeartbeatResponse response)
    {
        var peerPrimary = response.State == MemberState.Primary;
        if (peerPrimary && response.Term >= Term && !IsPrimary && State is (MemberState.Secondary or MemberState.Recovering)
            && !LastAppliedOpTime.IsNull && !peer.HasEntry(LastAppliedOpTime))
        {
            RollBackTo(peer);
            return;
        }

        var catchUp = false;
        lock (_gate)
        {
            if (peer.Term > Term)
            {
                Term = peer.Term;
                if (_primary && peerPrimary)
                {
                    _primary = false; // a newer term has begun: this primary steps down
                    _topology.Bump();
                }
            }

            if (peerPrimary)
            {
                _lastPrimaryContact = _clock.GetUtcNow();
                _electionOffset = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ElectionOffsetFraction * Setting("electionTimeoutMillis", 10000).TotalMilliseconds);
                // A slow disk catches up (after a partition) only to writes at least ApplyDelay old, and not while it
                // still has fetched entries to apply.
                catchUp = !_primary && _dataState is (MemberState.Secondary or MemberState.Recovering) && LastApplied < peer.LastApplied
                    && _pending.Count == 0 && response.AppliedWall + ApplyDelay <= _clock.GetUtcNow().UtcDateTime;
                if (!_primary)
                {
                    AdvanceCommittedLocked(response.LastCommitted <= LastAppliedOpTime ? response.LastCommitted : LastAppliedOpTime);
                }
            }
        }

        if (catchUp)
        {
            CatchUpFrom(peer);
        }
    }

    /// <summary>Applies what this member missed (its oplog is behind the primary's): the writes it lacks are copied.</summary>
    private void CatchUpFrom(ReplState source)
    {
        var at = CloneFrom(source);

        lock (_gate)
        {
            if (at.Applied > LastApplied)
            {
                LastApplied = at.Applied;
                (LastAppliedOpTime, LastAppliedWall, SyncSource) = (at.OpTime, at.Wall, source.Me);
                _history.UnionWith(at.History);
            }
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// Rollback (manual "Rollbacks During Replica Set Failover"; src/mongo/db/repl/rollback_impl.cpp): this member's
    /// last oplog entry is not in its sync source's oplog, so it holds writes the set never committed (a former
    /// primary's w:1 writes made while cut off). It goes to ROLLBACK (9), undoes everything after the common point
    /// (here: takes the source's data, users, roles and oplog, which include everything up to the common point), then
    /// RECOVERING and, at the next applier round, SECONDARY. mongod keeps the undone documents in dbPath/rollback
    /// files; the simulator only logs how many entries it dropped.
    /// </summary>
    private void RollBackTo(ReplState source)
    {
        lock (_gate)
        {
            _dataState = MemberState.Rollback;
        }

        _topology.Bump();
        var at = CloneFrom(source);
        lock (_gate)
        {
            LastApplied = at.Applied;
            (LastAppliedOpTime, LastAppliedWall, SyncSource) = (at.OpTime, at.Wall, source.Me);
            _history.Clear();
            _history.UnionWith(at.History);
            _pending.Clear();
            _dataState = MemberState.Recovering;
            _lastPrimaryContact = _clock.GetUtcNow();
        }

        _topology.Bump();
        Changed?.Invoke();
    }

    internal List<OpTime> HistorySnapshot()
    {
        lock (_gate)
        {
            return [.. _history];
        }
    }

    /// <summary>Users, roles and collections become copies of the source's (initial sync's clone, or catch-up).</summary>
    /// <summary>
    /// Copies the source's data and reads how far it has applied as one step: under the source's
    /// <see cref="WriteGate"/>, so no write of the source falls between the copy and the position (a write in the copy
    /// but not in the position would be applied twice when it is replicated; one in the position but not in the copy
    /// would be lost). mongod's initial sync and oplog fetching keep data and oplog position together the same way.
    /// </summary>
    private ClonedPosition CloneFrom(ReplState source)
    {
        lock (source.WriteGate)
        {
            CopyDataFrom(source);
            return new ClonedPosition(source.LastApplied, source.LastAppliedOpTime, source.LastAppliedWall, source.HistorySnapshot());
        }
    }

    private sealed record ClonedPosition(long Applied, OpTime OpTime, DateTime Wall, List<OpTime> History);

    private void CopyDataFrom(ReplState source)
    {
        if (FcvWriter is { } writeFcv && source.FcvReader?.Invoke() is { } fcv)
        {
            writeFcv(fcv); // admin.system.version is cloned with the rest
        }

        if (UsersProvider?.Invoke() is { } own && source.UsersProvider?.Invoke() is { } theirs && !ReferenceEquals(own, theirs))
        {
            own.CopyFrom(theirs);
        }

        if (DataProvider?.Invoke() is { } data && source.DataProvider?.Invoke() is { } sourceData && !ReferenceEquals(data, sourceData))
        {
            data.Restore(sourceData.Snapshot());
            _view.CopyFrom(source._view); // the source's committed view and the writes it has not yet seen committed
            lock (_gate)
            {
                AdvanceCommittedLocked(source.LastCommitted);
            }
        }
    }

    private void BeginInitialSync(ReplState source)
    {
        var generation = Volatile.Read(ref _syncGeneration);
        if (InitialSyncDelay <= TimeSpan.Zero)
        {
            CompleteInitialSync(source, generation);
            return;
        }

        ITimer? timer = null;
        timer = _clock.CreateTimer(_ =>
        {
            timer?.Dispose();
            CompleteInitialSync(source, generation);
        }, null, InitialSyncDelay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The clone ends: users and roles (and the data) are the source's, and the member becomes SECONDARY.</summary>
    private void CompleteInitialSync(ReplState source, int generation)
    {
        if (generation != Volatile.Read(ref _syncGeneration))
        {
            return; // this member stopped meanwhile
        }

        var at = CloneFrom(source);

        lock (_gate)
        {
            LastApplied = at.Applied;
            (LastAppliedOpTime, LastAppliedWall, SyncSource) = (at.OpTime, at.Wall, source.Me);
            _history.Clear();
            _history.UnionWith(at.History);
            // STARTUP2 -> RECOVERING; the next applier round takes it to SECONDARY once it reached minValid.
            _dataState = MemberState.Recovering;
            _lastPrimaryContact = _clock.GetUtcNow();
        }

        _topology.Bump();
        Changed?.Invoke();
    }

    private void CheckElectionTimers(DateTimeOffset now)
    {
        var timeout = Setting("electionTimeoutMillis", 10000);
        var reachable = Peers().Where(p => p.Peer is { Config: not null, Hung: false } && p.Member["votes"].ToInt32() > 0).Select(p => p.Peer!).ToList();
        var voters = Voters(Config!);
        var selfVotes = SelfMember()?["votes"].ToInt32() > 0 ? 1 : 0;
        var majority = reachable.Count + selfVotes > voters / 2;
        var peers = reachable.Select(p => (Primary: p.IsPrimary, p.LastApplied, p.Term)).ToList(); // read outside our lock
        bool changed;
        lock (_gate)
        {
            changed = _primary ? StepDownWithoutMajorityLocked(now, timeout, majority) : TryElectLocked(now, timeout, peers, majority);
        }

        if (changed)
        {
            _topology.Bump();
            Changed?.Invoke();
        }
    }

    private bool StepDownWithoutMajorityLocked(DateTimeOffset now, TimeSpan timeout, bool majority)
    {
        if (majority)
        {
            _primarySawMajority = now;
            return false;
        }

        if (now - _primarySawMajority < timeout)
        {
            return false;
        }

        _primary = false; // "can't see a majority of the set, relinquishing primary"
        _lastPrimaryContact = now;
        return true;
    }

    private bool TryElectLocked(DateTimeOffset now, TimeSpan timeout, List<(bool Primary, long LastApplied, long Term)> reachable, bool majority)
    {
        if (_dataState != MemberState.Secondary || !IsElectableSelf() || !majority
            || _stepDownUntil is { } until && now < until
            || now - _lastPrimaryContact < timeout + _electionOffset
            || reachable.Any(p => p.Primary || p.LastApplied > LastApplied))
        {
            return false; // a voter further ahead than this member refuses its vote
        }

        Term = Math.Max(Term, reachable.Select(p => p.Term).DefaultIfEmpty(0).Max());
        BecomePrimaryLocked();
        return true;
    }
}
