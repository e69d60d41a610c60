using System.CommandLine;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Cli;

/// <summary>The --dns-* options shared by `run` and `render`: where the rendered NetworkPolicies allow DNS egress.</summary>
internal sealed class DnsOptions
{
    private readonly Option<string?> ns = new("--dns-namespace")
    {
        Description = "Namespace of the cluster DNS pods (default kube-system; OpenShift: openshift-dns).",
    };

    private readonly Option<string?> podSelector = new("--dns-pod-selector")
    {
        Description = "Labels of the DNS pods, key=value[,key=value] (default k8s-app=kube-dns; OpenShift: dns.operator.openshift.io/daemonset-dns=default).",
    };

    private readonly Option<string[]> cidrs = new("--dns-cidr")
    {
        Description = "Also allow DNS to this CIDR, beside the DNS pods (repeat; NodeLocal DNSCache: 169.254.20.10/32).",
    };

    private readonly Option<int[]> ports = new("--dns-port")
    {
        Description = "Port the DNS pods listen on (repeat; default 53; OpenShift: 5353).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(ns);
        command.Options.Add(podSelector);
        command.Options.Add(cidrs);
        command.Options.Add(ports);
    }

    public (DnsTarget? Target, string? Error) Read(ParseResult parse) =>
        DnsTarget.Parse(parse.GetValue(ns), parse.GetValue(podSelector), parse.GetValue(cidrs) ?? [], parse.GetValue(ports) ?? []);
}
