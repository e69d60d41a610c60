using System.Net;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// Where the cluster's DNS answers, for the "-egress-dns" NetworkPolicy: pods chosen by namespace and labels
/// (kube-dns in kube-system by default; OpenShift's are in openshift-dns on port 5353), and beside them any fixed
/// CIDRs (NodeLocal DNSCache's link-local 169.254.20.10, whose agent forwards to, and whose clients fall back to,
/// the kube-dns pods, so both must stay reachable). NetworkPolicy matches the DNS pod's own port, after the Service's
/// translation, so the ports are those the pods listen on.
/// </summary>
public sealed record DnsTarget
{
    public static DnsTarget KubeDns { get; } = new();

    public string Namespace { get; init; } = "kube-system";

    public IReadOnlyDictionary<string, string> PodLabels { get; init; } = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" };

    /// <summary>CIDRs DNS egress may also go to, beside the pods.</summary>
    public IReadOnlyList<string> Cidrs { get; init; } = [];

    public IReadOnlyList<int> Ports { get; init; } = [53];

    /// <summary>
    /// A target from command-line text ("key=value[,key=value]" for the labels), or the first problem found.
    /// Null or empty arguments keep the defaults.
    /// </summary>
    public static (DnsTarget? Target, string? Error) Parse(string? ns, string? podSelector, IReadOnlyList<string> cidrs,
        IReadOnlyList<int> ports)
    {
        var target = KubeDns;
        if (!string.IsNullOrEmpty(ns))
        {
            if (!IsDnsLabel(ns))
            {
                return (null, $"--dns-namespace '{ns}' is not a valid namespace name (RFC 1123 label)");
            }
            target = target with { Namespace = ns };
        }
        if (!string.IsNullOrEmpty(podSelector))
        {
            var labels = ParseLabels(podSelector);
            if (labels is null)
            {
                return (null, $"--dns-pod-selector '{podSelector}' must be key=value[,key=value] with label keys and values");
            }
            target = target with { PodLabels = labels };
        }
        if (cidrs.FirstOrDefault(c => !IPNetwork.TryParse(c, out _)) is { } badCidr)
        {
            return (null, $"--dns-cidr '{badCidr}' is not a CIDR such as 169.254.20.10/32");
        }
        if (ports.Where(p => p is < 1 or > 65535).Select(p => (int?)p).FirstOrDefault() is { } badPort)
        {
            return (null, $"--dns-port {badPort} is not a port (1-65535)");
        }
        return (target with
        {
            Cidrs = cidrs.Count > 0 ? [.. cidrs.Distinct()] : target.Cidrs,
            Ports = ports.Count > 0 ? [.. ports.Distinct()] : target.Ports,
        }, null);
    }

    private static Dictionary<string, string>? ParseLabels(string text)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in text.Split(','))
        {
            var at = pair.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0 || !IsLabelKey(pair[..at]) || !IsLabelValue(pair[(at + 1)..]) || !labels.TryAdd(pair[..at], pair[(at + 1)..]))
            {
                return null;
            }
        }
        return labels;
    }

    // Kubernetes label syntax (apimachinery validation.IsQualifiedName / IsValidLabelValue).
    private static bool IsLabelKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        var prefixOk = slash < 0 || (slash <= 253 && key[..slash].Split('.').All(IsDnsLabel));
        return prefixOk && name.Length is > 0 and <= 63 && IsLabelValue(name);
    }

    private static bool IsLabelValue(string v) =>
        v.Length == 0 || (v.Length <= 63 && char.IsAsciiLetterOrDigit(v[0]) && char.IsAsciiLetterOrDigit(v[^1])
            && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'));

    private static bool IsDnsLabel(string s) =>
        s.Length is > 0 and <= 63 && s.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && s[0] != '-' && s[^1] != '-';
}
