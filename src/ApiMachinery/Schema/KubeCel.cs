using Cel;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// The CEL environment of <c>x-kubernetes-validations</c>, made to agree with kube-apiserver where the Cel package
/// differs:
/// <list type="bullet">
/// <item><c>has(e.f)</c> is presence of the key <c>f</c> in the object <c>e</c>: kube-apiserver's unstructuredMap
/// answers it with Find (k8s.io/apiserver pkg/cel/common/valuesunstructured.go, Contains/Find), so a present empty
/// object, list or string is "set". The Cel package answers false for those (proto3 default-value presence), so
/// every <c>has(e.f)</c> is rewritten to <c>('f' in e)</c>, which is map-key presence in both.</item>
/// <item>The Kubernetes quantity library (k8s.io/apiserver pkg/cel/library/quantity.go, in the base environment
/// since 1.28): <c>quantity</c>, <c>isQuantity</c>, <c>isLessThan</c>, <c>isGreaterThan</c>, <c>compareTo</c>,
/// <c>sign</c>.</item>
/// <item><c>split</c> of cel-go's ext.Strings (in the base environment of every served version).</item>
/// </list>
/// </summary>
public static class KubeCel
{
    /// <summary>A new environment with the libraries above registered.</summary>
    public static CelEnvironment NewEnvironment()
    {
        var environment = new CelEnvironment(null, null);
        CelQuantity.Register(environment);
        environment.RegisterFunction("split", [typeof(string), typeof(string)],
            args => ((string)args[0]!).Split((string)args[1]!).Cast<object?>().ToList());
        return environment;
    }

    /// <summary>Compiles a rule with kube-apiserver's <c>has()</c> (see the type's remarks).</summary>
    public static CelProgramDelegate Compile(CelEnvironment environment, string rule) =>
        environment.Compile(HasRewriter.Rewrite(rule));
}
