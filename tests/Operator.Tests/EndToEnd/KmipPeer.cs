using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using HipaaMongo.Kmip.Tests;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.EndToEnd;

/// <summary>
/// A real KMIP server (PyKMIP) for the simulated cluster: the minimal sample's server name reaches it, and the
/// Secrets the sample names hold its test CA and a client certificate it accepts.
/// </summary>
internal sealed record KmipPeer(string ServerName, IPEndPoint EndPoint, TestPki Pki)
{
    public static KmipPeer Of(PyKmipServer server) => new(TestPki.ClusterServerName, new IPEndPoint(IPAddress.Loopback, server.Port), server.Pki);

    /// <summary>Where the simulated cluster's members reach KMIP servers (read at each dial).</summary>
    public ConcurrentDictionary<string, IPEndPoint> ClusterServers { get; } = new(StringComparer.Ordinal);

    /// <summary>False: the name leads the members to a closed loopback port, as a KMIP server that is down.</summary>
    public bool ReachableFromMembers
    {
        get => ClusterServers.TryGetValue(ServerName, out var at) && at.Equals(EndPoint);
        set => ClusterServers[ServerName] = value ? EndPoint : ClosedPort();
    }

    private static IPEndPoint ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var at = (IPEndPoint)listener.LocalEndpoint;
        listener.Stop();
        return at;
    }

    public async Task CreateSecretsAsync(IKubernetes client, string ns, string name, CancellationToken ct)
    {
        var ca = File.ReadAllText(Pki.CaFile);
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("kmip-server-ca", ns, "Opaque", new() { ["ca.crt"] = ca }), ns, cancellationToken: ct);
        await client.CoreV1.CreateNamespacedSecretAsync(Secret($"{name}-kmip-client", ns, "kubernetes.io/tls", new()
        {
            // The pod's init script concatenates them into one PEM (cat tls.crt tls.key): each must end its last line.
            ["tls.crt"] = File.ReadAllText(Pki.ClientCertificateFile).TrimEnd() + "\n",
            ["tls.key"] = File.ReadAllText(Pki.ClientKeyFile).TrimEnd() + "\n",
            ["ca.crt"] = ca,
        }), ns, cancellationToken: ct);
    }

    private static V1Secret Secret(string name, string ns, string type, Dictionary<string, string> data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Type = type,
        StringData = data,
    };
}
