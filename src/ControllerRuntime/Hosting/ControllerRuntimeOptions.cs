using HipaaMongo.ControllerRuntime.Leader;

namespace HipaaMongo.ControllerRuntime.Hosting;

/// <summary>ControllerRuntimeOptions: where probes and metrics listen, leader election, log format.</summary>
public sealed class ControllerRuntimeOptions
{
    /// <summary>URL Kestrel serves /healthz and /readyz on (kubebuilder's :8081); empty disables.</summary>
    public string ProbeAddress { get; set; } = "http://0.0.0.0:8081";

    /// <summary>
    /// HTTPS URL Kestrel serves /metrics on (controller-runtime's secure :8443), behind TokenReview and
    /// SubjectAccessReview; empty disables. Plain http is refused: metrics can be sensitive. May equal
    /// <see cref="ProbeAddress"/> (then the probes are served over HTTPS too).
    /// </summary>
    public string MetricsAddress { get; set; } = "https://0.0.0.0:8443";

    /// <summary>Directory with tls.crt and tls.key for the HTTPS listener; empty: a self-signed certificate made in memory.</summary>
    public string MetricsCertDir { get; set; } = "";

    /// <summary>Namespaces every informer watches (one list+watch each); empty means all namespaces.</summary>
    public IList<string> WatchNamespaces { get; set; } = [];

    /// <summary>Leader election on a Lease; off by default.</summary>
    public LeaderElectionOptions LeaderElection { get; set; } = new();

    /// <summary>One JSON object per log line on the console (with scopes and UTC timestamps).</summary>
    public bool JsonLogs { get; set; } = true;

    /// <summary>Throws a clear error for unusable settings (called at start).</summary>
    public void Validate()
    {
        CheckUrl(ProbeAddress, nameof(ProbeAddress));
        CheckUrl(MetricsAddress, nameof(MetricsAddress));
        if (MetricsAddress.Length > 0 && !MetricsAddress.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"MetricsAddress '{MetricsAddress}' must be an https URL such as https://0.0.0.0:8443: /metrics is served over TLS to authorized callers only");
        }
        if (MetricsCertDir.Length > 0 && !(File.Exists(Path.Combine(MetricsCertDir, "tls.crt")) && File.Exists(Path.Combine(MetricsCertDir, "tls.key"))))
        {
            throw new ArgumentException($"MetricsCertDir '{MetricsCertDir}' must hold tls.crt and tls.key");
        }
        foreach (var ns in WatchNamespaces)
        {
            if (ns is null || ns.Length is 0 or > 63 || !ns.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
                || ns[0] == '-' || ns[^1] == '-')
            {
                throw new ArgumentException($"WatchNamespaces entry '{ns}' is not a valid namespace name (RFC 1123 label)");
            }
        }
        LeaderElection.Validate();
    }

    private static void CheckUrl(string value, string name)
    {
        if (value.Length > 0 && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            throw new ArgumentException($"{name} '{value}' must be an http(s) URL such as http://0.0.0.0:8081, or empty");
        }
    }
}
