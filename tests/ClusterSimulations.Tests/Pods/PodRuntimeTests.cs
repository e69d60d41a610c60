using System.Net;
using HipaaMongo.ClusterSimulations.Pods;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.Pods;

public sealed class PodRuntimeTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 6, 0, 0, DateTimeKind.Utc);

    private static V1Pod Pod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "rs0-0", Uid = "u1" },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "mongod", Image = "mongo:8.0.4" }] },
    };

    // kubernetes.io, Pod Lifecycle, "Container restarts": 10s, 20s, 40s, ... capped at five minutes.
    [Theory]
    [InlineData(0, 10)]
    [InlineData(1, 20)]
    [InlineData(2, 40)]
    [InlineData(3, 80)]
    [InlineData(4, 160)]
    [InlineData(5, 300)]
    [InlineData(50, 300)]
    public void A_failing_start_backs_off_like_kubelet(int restartCount, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), PodRuntime.CrashLoopBackOff(restartCount));
    }

    [Fact]
    public void Each_pod_gets_its_own_loopback_address_outside_127_0_and_keeps_it()
    {
        using var pool = new LoopbackAddressPool();
        var ips = Enumerable.Range(0, 600).Select(i => pool.For($"pod-{i}")).ToList();
        Assert.Equal(ips.Count, ips.Distinct().Count());
        Assert.All(ips, ip =>
        {
            var bytes = IPAddress.Parse(ip).GetAddressBytes();
            Assert.Equal(127, bytes[0]);
            Assert.NotEqual(0, bytes[1]);
            Assert.True(bytes[3] is not 0 and not 255);
        });
        Assert.Equal(ips[5], pool.For("pod-5"));
    }

    // Simulated clusters run side by side (test classes in one process, test assemblies in several): each member
    // listens on its pod IP and port 27017, so two live pools must never give out the same address. Sixty pools
    // picking a random block each would share one almost surely; claimed blocks never do.
    [Fact]
    public void Pools_alive_at_the_same_time_never_give_out_the_same_address()
    {
        var pools = Enumerable.Range(0, 60).Select(_ => new LoopbackAddressPool()).ToList();
        try
        {
            var first = pools.Select(p => p.For("rs0-0")).ToList();
            Assert.Equal(first.Count, first.Distinct().Count());
        }
        finally
        {
            pools.ForEach(p => p.Dispose());
        }
    }

    [Fact]
    public void Running_is_Ready_with_kubelet_conditions_and_a_running_container()
    {
        var pod = Pod();
        pod.Status = PodRuntime.Running(pod, "127.1.0.1", Now);
        Assert.Equal(("Running", "127.1.0.1", "127.1.0.1"), (pod.Status.Phase, pod.Status.PodIP, pod.Status.PodIPs.Single().Ip));
        Assert.Equal(["ContainersReady", "Initialized", "PodReadyToStartContainers", "PodScheduled", "Ready"],
            pod.Status.Conditions.Select(c => c.Type).Order());
        Assert.All(pod.Status.Conditions, c => Assert.Equal("True", c.Status));
        var container = pod.Status.ContainerStatuses.Single();
        Assert.True(container.Ready);
        Assert.NotNull(container.State.Running);
        Assert.True(PodRuntime.IsStarted(pod));
    }

    [Fact]
    public void A_workload_that_cannot_start_is_CrashLoopBackOff_and_not_Ready_with_restarts_counting()
    {
        var pod = Pod();
        pod.Status = PodRuntime.CrashLooping(pod, "127.1.0.1", "net.tls.mode requireTLS needs certificateKeyFile", Now);
        Assert.False(PodRuntime.IsStarted(pod));
        Assert.Equal("False", pod.Status.Conditions.Single(c => c.Type == "Ready").Status);
        var waiting = pod.Status.ContainerStatuses.Single().State.Waiting;
        Assert.Equal("CrashLoopBackOff", waiting.Reason);
        Assert.Contains("certificateKeyFile", waiting.Message);
        Assert.Equal(0, pod.Status.ContainerStatuses.Single().RestartCount);
        pod.Status = PodRuntime.CrashLooping(pod, "127.1.0.1", "again", Now);
        Assert.Equal(1, pod.Status.ContainerStatuses.Single().RestartCount);
        Assert.Equal(1, pod.Status.ContainerStatuses.Single().LastState.Terminated.ExitCode);
    }

    // The terminated state carries the process's own exit code (mongod exits 62 on data files its binary cannot open).
    [Fact]
    public void A_crash_keeps_the_process_exit_code()
    {
        var pod = Pod();
        pod.Status = PodRuntime.CrashLooping(pod, "127.1.0.1", "Wrong mongod version", Now, exitCode: 62);
        Assert.Equal(62, pod.Status.ContainerStatuses.Single().LastState.Terminated.ExitCode);
    }

    // kubelet getTerminationMessage: no termination-log file was written, so policy File leaves the message empty and
    // FallbackToLogsOnError (non-zero exit) takes the last 80 lines / 2048 bytes of the container's log.
    [Fact]
    public void A_crash_puts_the_log_tail_in_the_terminated_state_only_under_FallbackToLogsOnError()
    {
        var pod = Pod();
        pod.Status = PodRuntime.CrashLooping(pod, "127.1.0.1", "Unrecognized option: net.foo", Now);
        var terminated = pod.Status.ContainerStatuses.Single().LastState.Terminated;
        Assert.Equal(1, terminated.ExitCode);
        Assert.Null(terminated.Message);

        pod = Pod();
        pod.Spec.Containers[0].TerminationMessagePolicy = "FallbackToLogsOnError";
        pod.Status = PodRuntime.CrashLooping(pod, "127.1.0.1", "Unrecognized option: net.foo", Now);
        Assert.Equal("Unrecognized option: net.foo", pod.Status.ContainerStatuses.Single().LastState.Terminated.Message);

        var log = string.Join('\n', Enumerable.Range(0, 100).Select(i => $"line {i}"));
        var tail = PodRuntime.TerminationMessage(pod.Spec.Containers[0], log)!;
        Assert.StartsWith("line 20\n", tail, StringComparison.Ordinal);
        Assert.EndsWith("line 99", tail, StringComparison.Ordinal);
        Assert.Equal(2048, PodRuntime.TerminationMessage(pod.Spec.Containers[0], new string('x', 5000))!.Length);
    }

    // kube-scheduler FitError.Error() for one node: "0/1 nodes are available: " + the volumebinding PreFilter
    // reason, then the preemption post-filter text, as in
    // https://github.com/open-metadata/openmetadata-helm-charts/issues/417 ("pod has unbound immediate
    // PersistentVolumeClaims. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling").
    [Fact]
    public void A_pod_with_an_unbound_claim_is_Pending_and_Unschedulable_with_the_schedulers_message()
    {
        var status = PodRuntime.Unschedulable(Pod(), "pod has unbound immediate PersistentVolumeClaims", Now);

        Assert.Equal("Pending", status.Phase);
        Assert.Null(status.PodIP);
        var scheduled = Assert.Single(status.Conditions);
        Assert.Equal(("PodScheduled", "False", "Unschedulable"), (scheduled.Type, scheduled.Status, scheduled.Reason));
        Assert.Equal("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes are available: "
            + "1 Preemption is not helpful for scheduling.", scheduled.Message);
    }

    // kubelet: while volumes are not mounted no sandbox exists: Pending, no pod IP, containers waiting
    // "ContainerCreating" (pkg/kubelet/kubelet_pods.go, ContainerCreating reason) or "PodInitializing" with init containers.
    [Fact]
    public void A_pod_whose_volumes_cannot_mount_waits_in_ContainerCreating()
    {
        var status = PodRuntime.ContainerCreating(Pod(), Now);

        Assert.Equal("Pending", status.Phase);
        Assert.Null(status.PodIP);
        Assert.Equal("ContainerCreating", status.ContainerStatuses.Single().State.Waiting.Reason);
        Assert.Equal(0, status.ContainerStatuses.Single().RestartCount);
        Assert.Equal("True", status.Conditions.Single(c => c.Type == "PodScheduled").Status);
        var ready = status.Conditions.Single(c => c.Type == "Ready");
        Assert.Equal(("False", "ContainersNotReady", "containers with unready status: [mongod]"), (ready.Status, ready.Reason, ready.Message));

        var withInit = Pod();
        withInit.Spec.InitContainers = [new V1Container { Name = "prepare", Image = "mongo:8.0.4" }];
        var init = PodRuntime.ContainerCreating(withInit, Now);
        Assert.Equal("PodInitializing", init.InitContainerStatuses.Single().State.Waiting.Reason);
        var initialized = init.Conditions.Single(c => c.Type == "Initialized");
        Assert.Equal(("False", "ContainersNotInitialized", "containers with incomplete status: [prepare]"),
            (initialized.Status, initialized.Reason, initialized.Message));
    }

    // kubelet volume operations back off exponentially: 500 ms initial, doubling, at most 2 min 2 s
    // (pkg/util/goroutinemap/exponentialbackoff: initialDurationBeforeRetry, maxDurationBeforeRetry).
    [Theory]
    [InlineData(1, 500)]
    [InlineData(2, 1000)]
    [InlineData(3, 2000)]
    [InlineData(9, 122000)]
    [InlineData(40, 122000)]
    public void Failed_mounts_back_off_like_the_kubelets_volume_manager(int failures, int milliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), PodRuntime.MountBackOff(failures));
    }

    // Probe defaults (kubernetes.io "Configure Liveness, Readiness and Startup Probes"): periodSeconds 10,
    // failureThreshold 3, successThreshold 1.
    [Fact]
    public void Readiness_turns_False_after_failureThreshold_failures_one_period_apart_and_back_after_a_success()
    {
        var probe = new V1Probe { Exec = new V1ExecAction { Command = ["mongosh", "--eval", "db.adminCommand('ping')"] } };
        var tracker = new ReadinessTracker();
        var t = new DateTimeOffset(Now);
        Assert.False(tracker.Due(t, probe)); // the first probe comes a period after the start
        Assert.False(tracker.Due(t.AddSeconds(9), probe));
        Assert.True(tracker.Due(t.AddSeconds(10), probe));

        Assert.Null(tracker.Record(false, probe));
        Assert.Null(tracker.Record(false, probe));
        Assert.False(tracker.Record(false, probe));
        Assert.True(tracker.Record(true, probe));
    }

    [Fact]
    public void A_probe_result_changes_only_Ready_and_ContainersReady_not_the_running_container()
    {
        var running = Pod();
        running.Status = PodRuntime.Running(running, "127.1.0.1", Now);
        running.Status = PodRuntime.WithReadiness(running, ready: false, Now);

        Assert.Equal("Running", running.Status.Phase);
        Assert.NotNull(running.Status.ContainerStatuses.Single().State.Running);
        Assert.False(running.Status.ContainerStatuses.Single().Ready);
        Assert.Equal("False", running.Status.Conditions.Single(c => c.Type == "Ready").Status);
        Assert.Equal("True", running.Status.Conditions.Single(c => c.Type == "PodScheduled").Status);
        Assert.Equal("True", PodRuntime.WithReadiness(running, ready: true, Now).Conditions.Single(c => c.Type == "ContainersReady").Status);
    }

    private const string Gate = "example.io/member-ready";

    private static V1Pod GatedPod(params V1PodCondition[] extra)
    {
        var pod = Pod();
        pod.Spec.ReadinessGates = [new V1PodReadinessGate { ConditionType = Gate }];
        pod.Status = PodRuntime.Running(pod, "127.201.0.30", Now);
        foreach (var c in extra)
        {
            pod.Status.Conditions.Add(c);
        }
        return pod;
    }

    private static V1PodCondition Condition(V1PodStatus status, string type) => status.Conditions.Single(c => c.Type == type);

    // kubernetes.io, Pod Lifecycle, "Pod readiness gate"; pkg/kubelet/status/generate.go GeneratePodReadyCondition.
    [Fact]
    public void A_pod_with_a_readiness_gate_is_Ready_only_when_its_containers_are_and_the_gate_condition_is_True()
    {
        var missing = GatedPod();
        var status = PodRuntime.Gated(missing, missing.Status, Now);
        Assert.Equal("True", Condition(status, "ContainersReady").Status);
        Assert.Equal("False", Condition(status, "Ready").Status);
        Assert.Equal("ReadinessGatesNotReady", Condition(status, "Ready").Reason);
        Assert.Equal($"corresponding condition of pod readiness gate \"{Gate}\" does not exist.", Condition(status, "Ready").Message);

        var no = GatedPod(new V1PodCondition { Type = Gate, Status = "False" });
        var refused = PodRuntime.Gated(no, no.Status, Now);
        Assert.Equal("False", Condition(refused, "Ready").Status);
        Assert.Equal($"the status of pod readiness gate \"{Gate}\" is not \"True\", but False", Condition(refused, "Ready").Message);

        var yes = GatedPod(new V1PodCondition { Type = Gate, Status = "True" });
        var ready = PodRuntime.Gated(yes, yes.Status, Now);
        Assert.Equal("True", Condition(ready, "Ready").Status);
        Assert.Null(Condition(ready, "Ready").Reason);

        // Containers not ready: Ready says so, whatever the gate.
        var unready = PodRuntime.Gated(yes, PodRuntime.WithReadiness(yes, false, Now), Now);
        Assert.Equal("False", Condition(unready, "Ready").Status);
        Assert.Equal("ContainersNotReady", Condition(unready, "Ready").Reason);
    }

    [Fact]
    public void The_kubelet_keeps_a_gate_condition_it_does_not_own_when_it_writes_the_status_again()
    {
        var pod = GatedPod(new V1PodCondition { Type = Gate, Status = "True", Reason = "MemberServing" });
        // A fresh kubelet status (a restarted container) has only the kubelet's own conditions.
        var status = PodRuntime.Gated(pod, PodRuntime.Restarted(pod, "127.201.0.30", 137, Now), Now);
        Assert.Equal("MemberServing", Condition(status, Gate).Reason);
        Assert.Equal("True", Condition(status, "Ready").Status);
        Assert.Single(status.Conditions, c => c.Type == Gate);
    }

    [Fact]
    public void A_pod_without_readiness_gates_keeps_the_kubelets_verdict()
    {
        var pod = Pod();
        pod.Status = PodRuntime.Running(pod, "127.201.0.31", Now);
        Assert.Equal("True", Condition(PodRuntime.Gated(pod, pod.Status, Now), "Ready").Status);
    }
}
