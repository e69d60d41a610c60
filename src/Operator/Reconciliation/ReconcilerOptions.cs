using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Reconciliation;

/// <summary>Settings of the HipaaMongo reconciler that come from the operator's environment.</summary>
public sealed record ReconcilerOptions
{
    /// <summary>Finalizer that holds a HipaaMongo until its deletion policy has been carried out.</summary>
    public const string Finalizer = "hipaa.mongooperator.io/finalizer";

    /// <summary>Event source component (also the field manager).</summary>
    public const string EventSource = "hipaa-mongo-operator";

    public RenderOptions Render { get; init; } = RenderOptions.Default;
}
