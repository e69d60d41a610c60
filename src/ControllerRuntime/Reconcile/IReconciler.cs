using k8s;
using k8s.Models;

namespace HipaaMongo.ControllerRuntime.Reconcile;

/// <summary>
/// IReconciler drives one object of <typeparamref name="TEntity"/> toward its desired state.
/// It gets only the key (never the event): read the object from the cache, compute, write what differs.
/// Throwing means "retry with backoff"; throw <see cref="TerminalReconcileException"/> when retrying cannot help.
/// </summary>
public interface IReconciler<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Reconciles the object named by <paramref name="key"/>, which may no longer exist.</summary>
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken);
}
