using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation.Rollout;
using k8s.Models;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Reconciliation.Rollout;

/// <summary>
/// The planner's input read from replies shaped as mongod 8.0 sends them (the replSetGetConfig and replSetGetStatus
/// manual pages' example output), the config sent back, and when a pass reads the set at all.
/// </summary>
public class ScaleReadingTests
{
    private static readonly string[] Hosts = [.. Enumerable.Range(0, 7).Select(i => $"phi-db-{i}.phi-db-hs.clinical.svc.cluster.local:27017")];

    private static BsonDocument ConfigReply(int version, params BsonDocument[] members) => new("config", new BsonDocument
    {
        { "_id", "phi-db" }, { "version", version }, { "term", 3 }, { "protocolVersion", 1L },
        { "members", new BsonArray(members) },
        { "settings", new BsonDocument { { "chainingAllowed", true }, { "replicaSetId", ObjectId.GenerateNewId() } } },
    });

    private static BsonDocument Member(int id, int? votes = null, double? priority = null)
    {
        var m = new BsonDocument { { "_id", id }, { "host", Hosts[id] }, { "arbiterOnly", false }, { "hidden", false },
            { "tags", new BsonDocument("zone", "a") }, { "secondaryDelaySecs", 0L } };
        if (votes is { } v) m["votes"] = v;
        if (priority is { } p) m["priority"] = p;
        return m;
    }

    private static BsonDocument StatusReply(params (int Id, string State, double Health, int Ts, int Version)[] members) => new()
    {
        { "set", "phi-db" }, { "ok", 1.0 },
        { "members", new BsonArray(members.Select(m => new BsonDocument
        {
            { "_id", m.Id }, { "name", Hosts[m.Id] }, { "health", m.Health }, { "state", 2 }, { "stateStr", m.State },
            { "optime", new BsonDocument { { "ts", new BsonTimestamp(m.Ts, 1) }, { "t", 3L } } }, { "configVersion", m.Version },
        })) },
    };

    [Fact]
    public void Config_and_status_replies_become_the_planners_observation()
    {
        var o = ScaleReading.Observe(ConfigReply(4, Member(0), Member(1, 1, 1), Member(3, 0, 0)),
            StatusReply((0, "PRIMARY", 1, 1700, 4), (1, "SECONDARY", 1, 1690, 4), (3, "STARTUP2", 0, 0, 3)), Hosts, 5, 10)!;
        Assert.Equal(4, o.ConfigVersion);
        Assert.Equal([new ConfigMember(0, Hosts[0], 1, 1), new ConfigMember(1, Hosts[1], 1, 1), new ConfigMember(3, Hosts[3], 0, 0)], o.Config);
        Assert.Equal(new ObservedMember(Hosts[1], "SECONDARY", true, 1690, 4), o.Status[1]);
        Assert.False(o.Status[2].Healthy);
        Assert.Equal(5, o.DesiredMembers);
    }

    [Fact]
    public void A_reply_without_members_or_version_is_no_observation()
    {
        var status = StatusReply((0, "PRIMARY", 1, 1, 1));
        Assert.Null(ScaleReading.Observe(new BsonDocument("ok", 1), status, Hosts, 3, 10));
        Assert.Null(ScaleReading.Observe(ConfigReply(1, Member(0)), new BsonDocument("ok", 1), Hosts, 3, 10));
        var noVersion = ConfigReply(1, Member(0));
        noVersion["config"].AsBsonDocument.Remove("version");
        Assert.Null(ScaleReading.Observe(noVersion, status, Hosts, 3, 10));
    }

    [Fact]
    public void The_next_config_keeps_every_field_it_does_not_change_and_drops_the_term()
    {
        var current = ConfigReply(4, Member(0), Member(1), Member(2))["config"].AsBsonDocument;
        var action = new ScaleAction.Reconfig(
            [new(0, Hosts[0], 1, 1), new(1, Hosts[1], 1, 1), new(2, Hosts[2], 1, 1), new(3, Hosts[3], 0, 0)], 5, "add");
        var next = ScaleReading.NextConfig(current, action);
        Assert.Equal(5, next["version"].AsInt32);
        Assert.False(next.Contains("term"));
        Assert.Equal(current["settings"], next["settings"]);
        var members = next["members"].AsBsonArray.Select(m => m.AsBsonDocument).ToList();
        Assert.Equal(new BsonDocument("zone", "a"), members[1]["tags"]);
        Assert.Equal(new BsonDocument { { "_id", 3 }, { "host", Hosts[3] }, { "votes", 0 }, { "priority", 0.0 } }, members[3]);
        Assert.Equal(4, current["version"].AsInt32); // the read is not changed
    }

    [Fact]
    public void A_removed_member_leaves_the_next_config()
    {
        var current = ConfigReply(6, Member(0), Member(1), Member(2), Member(3))["config"].AsBsonDocument;
        var action = new ScaleAction.Reconfig([new(0, Hosts[0], 1, 1), new(1, Hosts[1], 1, 1), new(2, Hosts[2], 1, 1)], 7, "remove");
        Assert.Equal([0, 1, 2], ScaleReading.NextConfig(current, action)["members"].AsBsonArray.Select(m => m["_id"].AsInt32));
    }

    [Theory]
    [InlineData(3, 3, 3, false, null, false)]
    [InlineData(3, 3, 3, true, null, true)]
    [InlineData(5, 3, 3, false, null, true)]
    [InlineData(3, 5, 5, false, null, true)]
    [InlineData(5, 5, 4, false, null, true)]
    [InlineData(5, 5, 5, false, "Scaling", true)]
    [InlineData(5, 5, 5, false, "MembersNotReady", false)]
    public void A_pass_reads_the_set_only_when_a_scale_can_start_or_continue(int declared, int replicas, int ready, bool verified,
        string? reconcilingReason, bool due)
    {
        List<V1Condition>? conditions = reconcilingReason is null ? null
            : [new V1Condition { Type = ConditionTypes.Reconciling, Status = Conditions.True, Reason = reconcilingReason, Message = "m" }];
        Assert.Equal(due, ScaleGate.Due(declared, replicas, ready, conditions, verified));
    }

    [Theory]
    [InlineData(3, null, 3)]
    [InlineData(5, 3, 5)]
    [InlineData(3, 5, 5)]
    [InlineData(3, 1, 3)]
    [InlineData(3, 40, 7)]
    public void The_rendered_pods_never_drop_below_the_StatefulSets_while_members_leave(int declared, int? live, int rendered) =>
        Assert.Equal(rendered, ScaleGate.PodsToRender(declared, live));
}
