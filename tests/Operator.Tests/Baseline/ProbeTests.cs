using HipaaMongo.Operator.Baseline;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Baseline;

/// <summary>The mongod probes: a long recovery is never killed, and liveness applies only after start-up.</summary>
public class ProbeTests
{
    private static V1Container Mongod() =>
        DesiredStateRenderer.Render(Models.Minimal()).OfType<V1StatefulSet>().Single()
            .Spec.Template.Spec.Containers.Single(c => c.Name == "mongod");

    [Fact]
    public void The_startup_probe_grants_hours_for_wiredtiger_recovery()
    {
        var startup = Mongod().StartupProbe;
        Assert.Equal("mongodb", startup.TcpSocket.Port.Value);
        Assert.True(TimeSpan.FromSeconds(startup.PeriodSeconds!.Value * startup.FailureThreshold!.Value) >= TimeSpan.FromHours(6));
    }

    [Fact]
    public void Liveness_and_readiness_wait_for_the_startup_probe_instead_of_a_fixed_delay()
    {
        var mongod = Mongod();
        // The kubelet starts liveness and readiness only after the startup probe succeeded, so neither needs a delay;
        // a fixed initialDelaySeconds would only postpone the first check, never protect a long recovery.
        Assert.Null(mongod.LivenessProbe.InitialDelaySeconds);
        Assert.Null(mongod.ReadinessProbe.InitialDelaySeconds);
        Assert.NotNull(mongod.LivenessProbe.TcpSocket);
    }
}
