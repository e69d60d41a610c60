using System.Text.Json;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Meta;
using HipaaMongo.ControllerRuntime.Reconcile;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>Reads an issuer's CA secret and evaluates it; shared by the issuer controllers and the Certificate controller.</summary>
public static class IssuerStatusWriter
{
    /// <summary>The issuer's state from its spec and (for CA issuers) its CA secret.</summary>
    public static async Task<IssuerState> EvaluateAsync(ICertManagerStore store, IssuerBase issuer, CertManagerOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(options);
        Dictionary<string, byte[]>? caData = null;
        if (issuer.Spec.CA is { SecretName.Length: > 0 } ca)
        {
            var ns = issuer is ClusterIssuer ? options.ClusterResourceNamespace : issuer.Metadata.NamespaceProperty;
            var secret = await store.GetSecretAsync(ns, ca.SecretName, cancellationToken);
            caData = secret is null ? null : new Dictionary<string, byte[]>(secret.Data ?? new Dictionary<string, byte[]>());
        }
        return IssuerReadiness.Evaluate(issuer, caData);
    }

    /// <summary>Sets the Ready condition; true when the status changed.</summary>
    public static bool Apply(IssuerBase issuer, IssuerState state, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(state);
        issuer.Status ??= new IssuerStatus();
        issuer.Status.Conditions ??= [];
        return Conditions.Set(issuer.Status.Conditions, "Ready", state.Ready ? Conditions.True : Conditions.False, state.Reason,
            state.Message, issuer.Metadata.Generation, now);
    }
}

/// <summary>The Issuer / ClusterIssuer controller: keeps the Ready condition true to the spec and CA secret.</summary>
public sealed class IssuerReconciler<TIssuer>(ICertManagerStore store, TimeProvider clock, CertManagerOptions options)
    : IReconciler<TIssuer>
    where TIssuer : IssuerBase
{
    private static readonly string Kind = typeof(TIssuer) == typeof(ClusterIssuer) ? "ClusterIssuer" : "Issuer";

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var issuer = await store.GetIssuerAsync(Kind, key.Namespace, key.Name, cancellationToken);
        if (issuer is null)
        {
            return ReconcileResult.Done;
        }
        var before = JsonSerializer.Serialize(issuer.Status);
        var state = await IssuerStatusWriter.EvaluateAsync(store, issuer, options, cancellationToken);
        IssuerStatusWriter.Apply(issuer, state, clock.GetUtcNow().UtcDateTime);
        if (JsonSerializer.Serialize(issuer.Status) != before)
        {
            await store.UpdateIssuerStatusAsync(issuer, cancellationToken);
        }
        return ReconcileResult.Done;
    }
}
