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
        var pool = new LoopbackAddressPool();
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
    }
}
