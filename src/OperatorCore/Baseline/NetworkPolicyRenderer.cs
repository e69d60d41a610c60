using System.Net;
using k8s.Models;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// Default deny for the mongod pods, then one allow policy per purpose (secure-baseline.md 8.2,
/// architecture.md): members to members, the operator, declared clients, DNS, KMIP and LDAP.
/// Separate policies keep each purpose visible in `kubectl get netpol` and in drift reports.
/// </summary>
internal static class NetworkPolicyRenderer
{
    public const string DefaultDenySuffix = "-default-deny";

    public static IEnumerable<V1NetworkPolicy> Render(BaselineModel m, RenderOptions options)
    {
        yield return Policy(m, DefaultDenySuffix, ["Ingress", "Egress"]);
        yield return Members(m);
        yield return Operator(m, options);
        if (m.Network.AllowedClients.Count > 0)
        {
            yield return Clients(m);
        }

        yield return Dns(m, options.Dns);
        yield return Egress(m, "-egress-kmip", m.Kmip.Servers);
        if (m.Ldap is { } ldap)
        {
            yield return Egress(m, "-egress-ldap", ldap.Servers);
        }
    }

    private static V1NetworkPolicy Members(BaselineModel m)
    {
        var policy = Policy(m, "-members", ["Ingress", "Egress"]);
        var peer = new V1NetworkPolicyPeer { PodSelector = PodSelector(m) };
        policy.Spec.Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [peer], Ports = [MongodPort()] }];
        policy.Spec.Egress = [new V1NetworkPolicyEgressRule { To = [peer], Ports = [MongodPort()] }];
        return policy;
    }

    private static V1NetworkPolicy Operator(BaselineModel m, RenderOptions options)
    {
        var policy = Policy(m, "-operator", ["Ingress"]);
        var peer = new V1NetworkPolicyPeer
        {
            NamespaceSelector = NamespaceByName(options.OperatorNamespace),
            PodSelector = new V1LabelSelector { MatchLabels = Labels.OperatorPods() },
        };
        policy.Spec.Ingress = [new V1NetworkPolicyIngressRule { FromProperty = [peer], Ports = [MongodPort()] }];
        return policy;
    }

    private static V1NetworkPolicy Clients(BaselineModel m)
    {
        var policy = Policy(m, "-clients", ["Ingress"]);
        var peers = m.Network.AllowedClients
            .Select(c => new V1NetworkPolicyPeer { NamespaceSelector = c.NamespaceSelector, PodSelector = c.PodSelector })
            .ToList();
        policy.Spec.Ingress = [new V1NetworkPolicyIngressRule { FromProperty = peers, Ports = [MongodPort()] }];
        return policy;
    }

    private static V1NetworkPolicy Dns(BaselineModel m, DnsTarget dns)
    {
        var policy = Policy(m, "-egress-dns", ["Egress"]);
        // The pods always, the CIDRs beside them: a node-local cache that is down or restarting leaves its clients
        // resolving through the kube-dns pods (NodeLocal DNSCache's README, "Network policy and DNS connectivity").
        List<V1NetworkPolicyPeer> peers =
        [
            new V1NetworkPolicyPeer
            {
                NamespaceSelector = NamespaceByName(dns.Namespace),
                PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string>(dns.PodLabels) },
            },
            .. dns.Cidrs.Select(c => new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = c } }),
        ];
        policy.Spec.Egress =
        [
            new V1NetworkPolicyEgressRule
            {
                To = peers,
                Ports = [.. dns.Ports.SelectMany(p => new[]
                {
                    new V1NetworkPolicyPort { Protocol = "UDP", Port = p }, new V1NetworkPolicyPort { Protocol = "TCP", Port = p },
                })],
            },
        ];
        return policy;
    }

    /// <summary>
    /// Egress to external servers on their ports. NetworkPolicy selects by address, not by DNS name:
    /// when every server is an IP address the rule is limited to those addresses, otherwise to the
    /// ports only (documented in docs/baseline.md).
    /// </summary>
    private static V1NetworkPolicy Egress(BaselineModel m, string suffix, IReadOnlyList<HostPort> servers)
    {
        var policy = Policy(m, suffix, ["Egress"]);
        var ports = servers.Select(s => s.Port).Distinct().Order()
            .Select(p => new V1NetworkPolicyPort { Protocol = "TCP", Port = p }).ToList();
        var addresses = servers.Select(s => IPAddress.TryParse(s.Host.Trim('[', ']'), out var ip) ? ip : null).ToList();
        policy.Spec.Egress =
        [
            new V1NetworkPolicyEgressRule
            {
                To = addresses.All(a => a is not null)
                    ? addresses.Select(a => new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = Cidr(a!) } }).DistinctBy(p => p.IpBlock.Cidr).ToList()
                    : null,
                Ports = ports,
            },
        ];
        return policy;
    }

    private static string Cidr(IPAddress ip) =>
        ip + (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "/128" : "/32");

    private static V1NetworkPolicy Policy(BaselineModel m, string suffix, List<string> types) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = V1NetworkPolicy.KubeKind,
        Metadata = ObjectMetaFactory.Create(m, m.Name + suffix, Labels.Network),
        Spec = new V1NetworkPolicySpec { PodSelector = PodSelector(m), PolicyTypes = types },
    };

    private static V1LabelSelector PodSelector(BaselineModel m) => new() { MatchLabels = Labels.Selector(m.Name) };

    /// <summary>kubernetes.io/metadata.name is set by the API server on every namespace (immutable).</summary>
    private static V1LabelSelector NamespaceByName(string ns) =>
        new() { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = ns } };

    private static V1NetworkPolicyPort MongodPort() => new() { Protocol = "TCP", Port = MountPaths.MongodPort };
}
