using HipaaMongo.Entities;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Baseline;

/// <summary>
/// The baseline as one pure function: a HipaaMongo in, every desired Kubernetes object out, in
/// apply order (identity and config first, then the network fence, certificates, workload). The
/// spec must already be valid (HipaaMongoValidator); this never weakens or repairs a spec.
/// </summary>
public static class DesiredStateRenderer
{
    public static DesiredState Render(HipaaMongoResource resource, RenderOptions? options = null) =>
        Render(BaselineModelMapper.Map(resource), options);

    public static DesiredState Render(BaselineModel model, RenderOptions? options = null)
    {
        options ??= RenderOptions.Default;
        var configMap = WorkloadRenderer.ConfigMap(model);
        var objects = new List<IKubernetesObject<V1ObjectMeta>>
        {
            WorkloadRenderer.ServiceAccount(model),
            configMap,
        };
        objects.AddRange(NetworkPolicyRenderer.Render(model, options));
        objects.AddRange(CertificateRenderer.Render(model, options));
        objects.Add(WorkloadRenderer.HeadlessService(model));
        objects.Add(WorkloadRenderer.ClientService(model));
        objects.Add(StatefulSetRenderer.Render(model, WorkloadRenderer.ConfigHash(configMap)));
        objects.Add(WorkloadRenderer.DisruptionBudget(model));
        return new DesiredState(objects);
    }
}
