using System.Security.Cryptography;
using System.Text;
using k8s.Models;

namespace HipaaMongo.Operator.Baseline;

/// <summary>ServiceAccount, ConfigMap, Services and PodDisruptionBudget of one replica set.</summary>
internal static class WorkloadRenderer
{
    public const string ConfigHashAnnotation = "hipaa.mongooperator.io/config-hash";

    public static V1ServiceAccount ServiceAccount(BaselineModel m) => new()
    {
        ApiVersion = "v1",
        Kind = V1ServiceAccount.KubeKind,
        Metadata = ObjectMetaFactory.Create(m, Names.ServiceAccount(m.Name), Labels.Database),
        // mongod never talks to the Kubernetes API; a mounted token would only be something to steal.
        AutomountServiceAccountToken = false,
    };

    public static V1ConfigMap ConfigMap(BaselineModel m)
    {
        var data = new Dictionary<string, string> { ["mongod.conf"] = MongodConfigRenderer.Render(m) };
        if (m.Ldap is not null)
        {
            data["ldap.conf"] = MongodConfigRenderer.RenderLdapConf();
        }

        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = V1ConfigMap.KubeKind,
            Metadata = ObjectMetaFactory.Create(m, Names.ConfigMap(m.Name), Labels.Database),
            Data = data,
        };
    }

    /// <summary>A stable hash of the config data; put on the pod template so a config change rolls the pods.</summary>
    public static string ConfigHash(V1ConfigMap configMap)
    {
        var text = string.Join("\n", configMap.Data.Select(kv => kv.Key + "=" + kv.Value));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    /// <summary>Headless Service for stable member DNS names; publishes not-ready pods so members find each other at start.</summary>
    public static V1Service HeadlessService(BaselineModel m) => new()
    {
        ApiVersion = "v1",
        Kind = V1Service.KubeKind,
        Metadata = ObjectMetaFactory.Create(m, Names.HeadlessService(m.Name), Labels.Database),
        Spec = new V1ServiceSpec
        {
            ClusterIP = "None",
            PublishNotReadyAddresses = true,
            Selector = Labels.Selector(m.Name),
            Ports = [MongodPort()],
        },
    };

    public static V1Service ClientService(BaselineModel m) => new()
    {
        ApiVersion = "v1",
        Kind = V1Service.KubeKind,
        Metadata = ObjectMetaFactory.Create(m, Names.ClientService(m.Name), Labels.Database),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = Labels.Selector(m.Name),
            Ports = [MongodPort()],
        },
    };

    public static V1PodDisruptionBudget DisruptionBudget(BaselineModel m) => new()
    {
        ApiVersion = "policy/v1",
        Kind = V1PodDisruptionBudget.KubeKind,
        Metadata = ObjectMetaFactory.Create(m, Names.DisruptionBudget(m.Name), Labels.Database),
        Spec = new V1PodDisruptionBudgetSpec
        {
            // One voluntary disruption at a time keeps a majority for every supported size (3, 5, 7).
            MaxUnavailable = 1,
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(m.Name) },
        },
    };

    private static V1ServicePort MongodPort() => new()
    {
        Name = "mongodb",
        Port = MountPaths.MongodPort,
        TargetPort = "mongodb",
        Protocol = "TCP",
    };
}
