namespace HipaaMongo.Operator.Hosting;

/// <summary>What `hipaa-mongo run` takes on its command line.</summary>
public sealed record OperatorOptions
{
    /// <summary>Kubeconfig file; null: in-cluster config, else $KUBECONFIG or ~/.kube/config.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>Namespaces to watch; empty: all namespaces.</summary>
    public IReadOnlyList<string> Namespaces { get; init; } = [];

    public bool LeaderElect { get; init; }

    /// <summary>Namespace of the leader-election Lease (the operator's own namespace).</summary>
    public string LeaderElectionNamespace { get; init; } = "hipaa-mongo-system";

    /// <summary>HTTPS URL for /metrics (TokenReview + SubjectAccessReview in front); empty disables.</summary>
    public string MetricsAddress { get; init; } = "https://0.0.0.0:8443";

    /// <summary>Directory with tls.crt and tls.key for /metrics; empty: a self-signed certificate made in memory.</summary>
    public string MetricsCertDir { get; init; } = "";

    public string ProbeAddress { get; init; } = "http://0.0.0.0:8081";

    /// <summary>Namespace of the operator's pods, admitted to port 27017 by the rendered NetworkPolicy.</summary>
    public string OperatorNamespace { get; init; } = "hipaa-mongo-system";

    /// <summary>Where the rendered NetworkPolicies allow DNS egress.</summary>
    public Baseline.DnsTarget Dns { get; init; } = Baseline.DnsTarget.KubeDns;

    public int Workers { get; init; } = 4;

    /// <summary>
    /// Where the operator's KMIP probe reaches a KMIP server name when that differs from DNS (a local run, where the
    /// cluster's service names do not resolve); null: DNS. The server certificate must still name the server.
    /// </summary>
    public KeyManagement.KmipServerResolver? KmipResolver { get; init; }

    /// <summary>Where the operator's LDAPS probe reaches a directory name when that differs from DNS (a local run); null: DNS.</summary>
    public Ldap.LdapServerResolver? LdapResolver { get; init; }

    public bool JsonLogs { get; init; } = true;
}
