using System.Net;
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
