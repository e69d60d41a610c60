using HipaaMongo.ControllerRuntime.Leader;

namespace HipaaMongo.ControllerRuntime.Hosting;

/// <summary>ControllerRuntimeOptions: where probes and metrics listen, leader election, log format.</summary>
public sealed class ControllerRuntimeOptions
{
    /// <summary>URL Kestrel serves /healthz and /readyz on (kubebuilder's :8081); empty disables.</summary>
    public string ProbeAddress { get; set; } = "http://0.0.0.0:8081";

    /// <summary>URL Kestrel serves /metrics on; empty disables. May equal <see cref="ProbeAddress"/>.</summary>
    public string MetricsAddress { get; set; } = "http://0.0.0.0:8080";

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
