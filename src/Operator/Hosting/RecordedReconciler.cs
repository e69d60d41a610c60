using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Reconcile;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reconciliation;

namespace HipaaMongo.Operator.Hosting;

/// <summary>The reconciler the controller's workers call: <see cref="HipaaMongoReconciler"/>, each pass numbered in <see cref="ReconcilePasses"/>.</summary>
public sealed class RecordedReconciler(HipaaMongoReconciler reconciler, ReconcilePasses passes) : IReconciler<HipaaMongoResource>
{
    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        var sequence = passes.Begin();
        try
        {
            var result = await reconciler.ReconcileAsync(key, cancellationToken);
            passes.End(new PassRecord(key, sequence, result, null));
            return result;
        }
        catch (Exception ex)
        {
            passes.End(new PassRecord(key, sequence, null, ex));
            throw;
        }
    }
}
