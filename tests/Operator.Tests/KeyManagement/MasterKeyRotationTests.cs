using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.KeyManagement;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Rollout;
using HipaaMongo.Operator.Tests.Baseline;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.KeyManagement;

/// <summary>
/// Master-key rotation's pure parts: the init container that runs mongod's own rotation once per request, the key
/// changes read from what members report (status, Events and evidence), and the halt on a member that failed to start.
/// </summary>
public class MasterKeyRotationTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 7, 18, 0, 0, TimeSpan.Zero);

    private static V1PodSpec Template(string? requestedAt) =>
        DesiredStateRenderer.Render(Models.Minimal() with { Kmip = Models.Minimal().Kmip with { RotationRequestedAt = requestedAt } })
            .OfType<V1StatefulSet>().Single().Spec.Template.Spec;

    [Fact]
    public void Without_a_request_the_pod_has_no_rotation_container()
    {
        Assert.DoesNotContain(Template(null).InitContainers, c => c.Name == "rotate-master-key");
    }

    [Fact]
    public void A_request_runs_mongods_rotation_once_after_the_config_is_prepared_with_the_mongod_containers_mounts()
    {
        var spec = Template("2026-12-07T18:00:00Z");
        Assert.Equal(["prepare", "rotate-master-key"], spec.InitContainers.Select(c => c.Name));
        var rotate = spec.InitContainers[1];
        var mongod = spec.Containers.Single(c => c.Name == "mongod");
        var script = Assert.Single(rotate.Command, c => c.Contains("mongod", StringComparison.Ordinal));
        var marker = MasterKeyRotationMarker.Path("2026-12-07T18:00:00Z");
        Assert.Matches("^/data/db/\\.hipaa-mongo-key-rotated-[0-9a-f]{16}$", marker);
        Assert.Equal($"test -f {marker} || mongod {string.Join(' ', mongod.Args)} --kmipRotateMasterKey && touch {marker}", script);
        Assert.Equal(mongod.Image, rotate.Image);
        Assert.Equal(mongod.VolumeMounts.Select(m => m.MountPath), rotate.VolumeMounts.Select(m => m.MountPath));
        Assert.True(rotate.SecurityContext.ReadOnlyRootFilesystem);
    }

    [Fact]
    public void Each_request_is_a_new_pod_template_and_the_same_request_renders_the_same_one()
    {
        Assert.Equal(KubernetesJson(Template("a")), KubernetesJson(Template("a")));
        Assert.NotEqual(KubernetesJson(Template("a")), KubernetesJson(Template("b")));
        Assert.Matches("^/data/db/\\.hipaa-mongo-key-rotated-[0-9a-f]{16}$", MasterKeyRotationMarker.Path("x; rm -rf /"));
    }

    private static string KubernetesJson(V1PodSpec spec) => k8s.KubernetesJson.Serialize(spec);

    private static MemberVerification Reported(string pod, string? keyId) =>
        new(pod, At, true, null, MemberRole.Secondary, null, new MemberParameters { KmipKeyId = keyId }, [], []);

    [Fact]
    public void A_member_on_another_key_than_recorded_is_a_change_with_both_ids_and_nothing_else_is()
    {
        List<MemberStatus> recorded = [new() { Name = "phi-db-0", KmipKeyId = "7" }, new() { Name = "phi-db-1", KmipKeyId = "7" }, new() { Name = "phi-db-2" }];
        var changes = MasterKeyChanges.Between(recorded, [Reported("phi-db-0", "9"), Reported("phi-db-1", "7"), Reported("phi-db-2", "9"), Reported("phi-db-3", "9")]);
        var change = Assert.Single(changes);
        Assert.Equal(new MasterKeyChange("phi-db-0", "7", "9"), change);
        Assert.Equal("phi-db-0 now runs on KMIP master key 9 (was 7)", change.Message);
        Assert.Empty(MasterKeyChanges.Between(recorded, [Reported("phi-db-0", null)])); // a member that reports nothing changed nothing
    }

    [Fact]
    public void A_stored_digest_of_a_key_id_is_never_taken_for_a_reported_key()
    {
        const string digest = "sha256:4e07408562bedb8b60ce05c1decfe3ad16b72230967de01f640b7e4729b49fce";
        Assert.Empty(MasterKeyChanges.Between([new() { Name = "phi-db-0", KmipKeyId = "7" }], [Reported("phi-db-0", digest)]));
        Assert.Empty(MasterKeyChanges.Between([new() { Name = "phi-db-0", KmipKeyId = digest }], [Reported("phi-db-0", "9")]));
        Assert.Null(MasterKeyChanges.PreviousOf(new MemberStatus { KmipKeyId = digest }, "9"));
    }

    [Fact]
    public void The_previous_key_is_recorded_at_a_change_and_kept_until_the_next()
    {
        Assert.Equal("7", MasterKeyChanges.PreviousOf(new MemberStatus { KmipKeyId = "7" }, "9"));
        Assert.Equal("7", MasterKeyChanges.PreviousOf(new MemberStatus { KmipKeyId = "9", PreviousKmipKeyId = "7" }, "9"));
        Assert.Equal("9", MasterKeyChanges.PreviousOf(new MemberStatus { KmipKeyId = "9", PreviousKmipKeyId = "7" }, "11"));
        Assert.Null(MasterKeyChanges.PreviousOf(null, "9"));
    }

    private static string Host(int i) => $"phi-db-{i}.phi-db-hl.clinical.svc.cluster.local:27017";

    [Fact]
    public void A_restarted_member_whose_mongod_exited_with_an_error_halts_the_rollout_at_once_with_its_reason()
    {
        var reason = "init container rotate-master-key exited with code 1 (Error): Can't connect to any of KMIP servers";
        RolloutPod Pod(int i, string revision, bool crashed = false) =>
            new(i, $"phi-db-{i}", Host(i), $"uid-{i}", revision, false, !crashed, At - TimeSpan.FromSeconds(20), crashed ? reason : null, crashed);
        var status = new[]
        {
            new ObservedMember(Host(0), "PRIMARY", true, 100, 1, At),
            new ObservedMember(Host(1), "SECONDARY", true, 100, 1, At),
            new ObservedMember(Host(2), "(not reachable/healthy)", false, 0, 1, At),
        };
        var o = new RolloutObservation("new", true, 3, [Pod(0, "old"), Pod(1, "old"), Pod(2, "new", crashed: true)],
            [.. Enumerable.Range(0, 3).Select(i => new ConfigMember(i, Host(i), 1, 1))], status, 10, TimeSpan.FromMinutes(15), At);
        var halt = Assert.IsType<RolloutAction.Halt>(RolloutPlanner.Next(o));
        Assert.Equal("phi-db-2", halt.Pod);
        Assert.Contains(reason, halt.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failed_init_container_is_the_pods_reason_and_a_crash()
    {
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "phi-db-2" },
            Status = new V1PodStatus
            {
                Conditions = [new V1PodCondition { Type = "Ready", Status = "False" }],
                InitContainerStatuses =
                [
                    new V1ContainerStatus { Name = "prepare", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0 } } },
                    new V1ContainerStatus
                    {
                        Name = "rotate-master-key",
                        LastState = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Reason = "Error", Message = "Data-at-Rest Encryption Error" } },
                        State = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff" } },
                    },
                ],
            },
        };
        Assert.Equal("init container rotate-master-key exited with code 1 (Error): Data-at-Rest Encryption Error", RolloutReading.Failure(pod));
        Assert.True(RolloutReading.Crashed(pod));
        pod.Status.Conditions[0].Status = "True";
        Assert.False(RolloutReading.Crashed(pod));
    }
}
