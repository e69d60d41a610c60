namespace HipaaMongo.Operator.Baseline;

/// <summary>Facts about the operator's environment that shape the rendered objects.</summary>
public sealed record RenderOptions
{
    public static RenderOptions Default { get; } = new();

    /// <summary>Namespace of the operator's pods, admitted to port 27017 by a NetworkPolicy.</summary>
    public string OperatorNamespace { get; init; } = "hipaa-mongo-system";

    /// <summary>Cluster DNS domain used in member certificate SANs.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>Where DNS egress from the mongod pods is allowed to.</summary>
    public DnsTarget Dns { get; init; } = DnsTarget.KubeDns;
}
