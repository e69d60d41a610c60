using System.Net;
using System.Text.Json.Nodes;
using HipaaMongo.Operator.Baseline;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// Stands in for the StatefulSet controller and kubelet in orchestration tests: once the operator's StatefulSet
/// exists, creates its pods as the StatefulSet controller names them (name-ordinal, hostname, subdomain = the
/// headless Service, the template's labels) and marks them Running and Ready with a loopback IP, as a kubelet
/// would. Nothing runs in them: the members answer through FakeMemberVerifier.
/// </summary>
internal static class MemberPodMaker
{
    public static async Task RunAsync(IKubernetes client, CancellationToken ct)
    {
        V1StatefulSet? set = null;
        while (set is null)
        {
            await Task.Delay(100, ct);
            set = await ReadAsync(client, ct);
        }
        for (var i = 0; i < set.Spec.Replicas; i++)
        {
            await CreateReadyAsync(client, set, i, ct);
        }
    }

    private static async Task CreateReadyAsync(IKubernetes client, V1StatefulSet set, int ordinal, CancellationToken ct)
    {
        var name = $"{set.Metadata.Name}-{ordinal}";
        var pod = new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = set.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>(set.Spec.Template.Metadata.Labels) { ["statefulset.kubernetes.io/pod-name"] = name },
            },
            Spec = new V1PodSpec
            {
                Hostname = name,
                Subdomain = set.Spec.ServiceName,
                Containers = [new V1Container { Name = "mongod", Image = set.Spec.Template.Spec.Containers[0].Image }],
            },
        };
        await client.CoreV1.CreateNamespacedPodAsync(pod, set.Metadata.NamespaceProperty, cancellationToken: ct);
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["podIP"] = $"127.0.0.{ordinal + 10}",
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True" }),
            },
        };
        await client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(status.ToJsonString(), V1Patch.PatchType.MergePatch), name,
            set.Metadata.NamespaceProperty, cancellationToken: ct);
    }

    private static async Task<V1StatefulSet?> ReadAsync(IKubernetes client, CancellationToken ct)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedStatefulSetAsync(Names.StatefulSet(OperatorHarness.Name), OperatorHarness.Namespace,
                cancellationToken: ct);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
