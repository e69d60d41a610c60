using System.Numerics;
using Cel;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// The value of <c>quantity('50Gi')</c> in CEL: a resource.Quantity compared by value, as the Kubernetes quantity
/// library does (Quantity.Cmp), so <c>quantity('1Gi') == quantity('1024Mi')</c>.
/// </summary>
public sealed class CelQuantity : IEquatable<CelQuantity>
{
    private readonly BigInteger nanos;

    private CelQuantity(string text, BigInteger nanos)
    {
        Text = text;
        this.nanos = nanos;
    }

    /// <summary>The quantity as written.</summary>
    public string Text { get; }

    internal static void Register(CelEnvironment environment)
    {
        environment.RegisterFunction("quantity", [typeof(string)], args => Parse((string)args[0]!));
        environment.RegisterFunction("isQuantity", [typeof(string)], args => Quantity.TryCanonicalize((string)args[0]!, out _));
        environment.RegisterFunction("isLessThan", [typeof(CelQuantity), typeof(CelQuantity)], args => Compare(args) < 0);
        environment.RegisterFunction("isGreaterThan", [typeof(CelQuantity), typeof(CelQuantity)], args => Compare(args) > 0);
        environment.RegisterFunction("compareTo", [typeof(CelQuantity), typeof(CelQuantity)], args => (long)Compare(args));
        environment.RegisterFunction("sign", [typeof(CelQuantity)], args => (long)((CelQuantity)args[0]!).nanos.Sign);
    }

    // quantity() of a malformed string is an evaluation error in kube, never a value.
    private static CelQuantity Parse(string text) => new(text, Quantity.Nanos(text));

    private static int Compare(object?[] args) => ((CelQuantity)args[0]!).nanos.CompareTo(((CelQuantity)args[1]!).nanos);

    public bool Equals(CelQuantity? other) => other is not null && nanos == other.nanos;

    public override bool Equals(object? obj) => obj is CelQuantity other && Equals(other);

    public override int GetHashCode() => nanos.GetHashCode();

    public override string ToString() => Text;
}
