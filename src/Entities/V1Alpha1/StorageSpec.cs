using System.Text.Json.Serialization;
using HipaaMongo.Entities.Schema;

namespace HipaaMongo.Entities;

[Description("The persistent volume claimed by each member.")]
[CelRule("has(self.storageClassName) == has(oldSelf.storageClassName) && (!has(self.storageClassName) || self.storageClassName == oldSelf.storageClassName)",
    "storageClassName is immutable", FieldPath = ".storageClassName")]
[CelRule("!quantity(string(self.size)).isLessThan(quantity(string(oldSelf.size)))", Validation.CoreRules.ShrinkMessage,
    FieldPath = ".size", MessageExpression = "'" + Validation.CoreRules.ShrinkMessage + " (from ' + string(oldSelf.size) + ' to ' + string(self.size) + ')'")]
public sealed class StorageSpec
{
    [JsonPropertyName("size")]
    [Required]
    [Description("Requested capacity per member as a Kubernetes quantity (e.g. 50Gi). It may grow (if the StorageClass allows expansion) but never shrink.")]
    [Quantity]
    [MaxLength(64)]
    [JsonConverter(typeof(Serialization.QuantityStringConverter))]
    public string Size { get; set; } = "";

    [JsonPropertyName("storageClassName")]
    [Description("The StorageClass of the member volumes; the cluster default when absent. Immutable.")]
    [MaxLength(253)]
    [Pattern(ValidationPatterns.DnsSubdomain)]
    public string? StorageClassName { get; set; }
}

[Description("CPU and memory for the mongod container.")]
public sealed class ComputeResources
{
    [JsonPropertyName("requests")]
    [Description("The resources the scheduler reserves for each member.")]
    public ResourceAmounts? Requests { get; set; }

    [JsonPropertyName("limits")]
    [Description("The most each member may use; each limit must be at least its request.")]
    public ResourceAmounts? Limits { get; set; }
}

[Description("An amount of CPU and memory.")]
public sealed class ResourceAmounts
{
    [JsonPropertyName("cpu")]
    [Description("CPU as a Kubernetes quantity (e.g. 500m or 2).")]
    [Quantity]
    [JsonConverter(typeof(Serialization.QuantityStringConverter))]
    public string? Cpu { get; set; }

    [JsonPropertyName("memory")]
    [Description("Memory as a Kubernetes quantity (e.g. 4Gi).")]
    [Quantity]
    [JsonConverter(typeof(Serialization.QuantityStringConverter))]
    public string? Memory { get; set; }
}

[Description("Live verification of the members.")]
public sealed class VerificationSpec
{
    public const int DefaultIntervalSeconds = 60;
    public const int MinIntervalSeconds = 10;
    public const int MaxIntervalSeconds = 3600;

    [JsonPropertyName("intervalSeconds")]
    [Description("Seconds between live checks of every member (getParameter, getCmdLineOpts, serverStatus). Runtime drift is found and corrected within this interval.")]
    [Default(DefaultIntervalSeconds)]
    [Minimum(MinIntervalSeconds)]
    [Maximum(MaxIntervalSeconds)]
    public int IntervalSeconds { get; set; } = DefaultIntervalSeconds;
}
