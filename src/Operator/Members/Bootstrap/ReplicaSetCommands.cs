using HipaaMongo.Operator.Members.Connection;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Bootstrap;

/// <summary>
/// replSetGetConfig/replSetGetStatus on the primary (verifier identity), replSetReconfig and replSetStepDown on it
/// (operator identity, whose role holds replSetConfigure and replSetStateChange: MemberRoles).
/// </summary>
internal sealed class ReplicaSetCommands(MemberSessions sessions)
{
    // replSetStepDown: stepDownSecs must exceed secondaryCatchUpPeriodSecs; the primary waits up to the catch-up
    // period for an electable secondary to catch up and refuses (ExceededTimeLimit) when none does.
    private const int StepDownSeconds = 60;
    private const int CatchUpSeconds = 10;

    public async Task<ReplicaSetRead> ReadAsync(IReadOnlyList<MemberTarget> members, MemberCredentials credentials, CancellationToken ct)
    {
        var primary = await PrimaryAsync(members, credentials, ct).ConfigureAwait(false);
        if (primary is null)
        {
            return ReplicaSetRead.Failed("no member answers as primary");
        }
        var session = sessions.Open(primary, MemberIdentity.Verifier, credentials)!;
        var config = await session.AdminAsync(new BsonDocument("replSetGetConfig", 1), ct).ConfigureAwait(false);
        var status = await session.AdminAsync(new BsonDocument("replSetGetStatus", 1), ct).ConfigureAwait(false);
        return (config.Failure ?? status.Failure) is { } failure
            ? ReplicaSetRead.Failed($"reading the set on {primary.PodName}: {failure.Message}")
            : new ReplicaSetRead(primary, config.Reply, status.Reply, null);
    }

    // The first member that answers hello as the writable primary: a hung member (its hello waits for the socket
    // timeout) does not hold the read up once the primary answered.
    private async Task<MemberTarget?> PrimaryAsync(IReadOnlyList<MemberTarget> members, MemberCredentials credentials, CancellationToken ct)
    {
        var pending = members.Select(async m =>
        {
            var hello = await sessions.Open(m, MemberIdentity.Verifier, credentials)!.AdminAsync(new BsonDocument("hello", 1), ct).ConfigureAwait(false);
            return hello.Reply is { } r && r.GetValue("isWritablePrimary", false).ToBoolean() ? m : null;
        }).ToList();
        while (pending.Count > 0)
        {
            var done = await Task.WhenAny(pending).ConfigureAwait(false);
            pending.Remove(done);
            if (await done.ConfigureAwait(false) is { } primary)
            {
                return primary;
            }
        }
        return null;
    }

    public async Task<string?> ReconfigAsync(MemberTarget primary, BsonDocument config, MemberCredentials credentials, CancellationToken ct)
    {
        var outcome = await sessions.Open(primary, MemberIdentity.Operator, credentials)!
            .AdminAsync(new BsonDocument { { "replSetReconfig", config }, { "maxTimeMS", 15000 } }, ct).ConfigureAwait(false);
        return outcome.Failure?.Message;
    }

    public async Task<FcvRead> ReadFcvAsync(MemberTarget primary, IReadOnlyList<MemberTarget> members, MemberCredentials credentials, CancellationToken ct)
    {
        var fcv = await sessions.Open(primary, MemberIdentity.Verifier, credentials)!
            .AdminAsync(new BsonDocument { { "getParameter", 1 }, { "featureCompatibilityVersion", 1 } }, ct).ConfigureAwait(false);
        if (fcv.Failure is { } failure || fcv.Reply!.GetValue("featureCompatibilityVersion", BsonNull.Value) is not BsonDocument value
            || value.GetValue("version", BsonNull.Value) is not BsonString version)
        {
            return FcvRead.Failed($"reading featureCompatibilityVersion on {primary.PodName}: {fcv.Failure?.Message ?? "no version in the reply"}");
        }
        var binaries = await Task.WhenAll(members.Select(async m =>
        {
            var build = await sessions.Open(m, MemberIdentity.Verifier, credentials)!.AdminAsync(new BsonDocument("buildInfo", 1), ct).ConfigureAwait(false);
            return (m.PodName, build.Reply?.GetValue("version", BsonNull.Value) is BsonString v ? v.Value : null);
        })).ConfigureAwait(false);
        var target = value.GetValue("targetVersion", BsonNull.Value) is BsonString t ? t.Value : null;
        return new FcvRead(version.Value, target, binaries, null);
    }

    // w: majority as the command itself waits for (set_feature_compatibility_version_command.cpp); a reply whose write
    // concern timed out still changed FCV, which the next pass reads.
    public async Task<string?> SetFcvAsync(MemberTarget primary, string version, bool confirm, MemberCredentials credentials, CancellationToken ct)
    {
        var command = new BsonDocument("setFeatureCompatibilityVersion", version);
        if (confirm)
        {
            command.Add("confirm", true);
        }
        command.Add("writeConcern", new BsonDocument { { "w", "majority" }, { "wtimeout", 15000 } });
        var outcome = await sessions.Open(primary, MemberIdentity.Operator, credentials)!.AdminAsync(command, ct).ConfigureAwait(false);
        return outcome.Failure?.Message
            ?? (outcome.Reply!.GetValue("writeConcernError", BsonNull.Value) is BsonDocument wce ? wce.GetValue("errmsg", "writeConcernError").ToString() : null);
    }

    public async Task<string?> StepDownAsync(MemberTarget primary, MemberCredentials credentials, CancellationToken ct)
    {
        var outcome = await sessions.Open(primary, MemberIdentity.Operator, credentials)!
            .AdminAsync(new BsonDocument { { "replSetStepDown", StepDownSeconds }, { "secondaryCatchUpPeriodSecs", CatchUpSeconds } }, ct)
            .ConfigureAwait(false);
        return outcome.Failure?.Message;
    }
}
