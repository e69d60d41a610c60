using System.Net;
using System.Net.Sockets;
using HipaaMongo.ClusterSimulations.Pods;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.Pods;

/// <summary>
/// Probe handlers as the kubelet runs them (pkg/probe/tcp: a TCP connect within timeoutSeconds; exec: the
/// command's exit code, here whether the process answers).
/// </summary>
public sealed class ReadinessProbeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static V1Container Container(int port) =>
        new() { Name = "mongod", Image = "mongo:8.0.4", Ports = [new V1ContainerPort { Name = "mongodb", ContainerPort = port }] };

    [Fact]
    public async Task A_tcpSocket_probe_passes_while_something_listens_even_if_the_process_answers_nothing()
    {
        using var listener = new TcpListener(IPAddress.Parse("127.201.0.20"), 0);
        listener.Start(); // accepts at the kernel level and never reads: a hung process's socket
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var byNumber = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
        var byName = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "mongodb" } };

        Assert.True(await ReadinessProbe.RunAsync(byNumber, Container(port), "127.201.0.20", () => false, Ct));
        Assert.True(await ReadinessProbe.RunAsync(byName, Container(port), "127.201.0.20", () => false, Ct));
        listener.Stop();
        Assert.False(await ReadinessProbe.RunAsync(byNumber, Container(port), "127.201.0.20", () => true, Ct));
        var unknownName = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "nope" } };
        Assert.False(await ReadinessProbe.RunAsync(unknownName, Container(port), "127.201.0.20", () => true, Ct));
    }

    [Fact]
    public async Task An_exec_probe_passes_only_while_the_process_answers()
    {
        var probe = new V1Probe { Exec = new V1ExecAction { Command = ["mongosh", "--eval", "db.adminCommand('ping')"] } };

        Assert.True(await ReadinessProbe.RunAsync(probe, Container(27017), "127.201.0.21", () => true, Ct));
        Assert.False(await ReadinessProbe.RunAsync(probe, Container(27017), "127.201.0.21", () => false, Ct));
    }
}
