using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace HipaaMongo.Operator.Cli;

/// <summary>
/// Where `hipaa-mongo run` finds its cluster, in kubectl's order: --kubeconfig, then $KUBECONFIG (a path list,
/// merged by KubernetesClientConfiguration.BuildDefaultConfig), then ~/.kube/config,
/// then the pod's service account. Nothing found is an error naming all four, never a silent localhost:8080
/// (BuildDefaultConfig's last resort).
/// </summary>
internal static class KubeconfigSource
{
    public sealed record Resolved(KubernetesClientConfiguration? Config, string? Error, string Source);

    public static Resolved Resolve(string? flag, string? environment, string? home, bool inCluster)
    {
        try
        {
            return ResolveOrThrow(flag, environment, home, inCluster);
        }
        catch (KubeConfigException ex)
        {
            return new Resolved(null, "kubeconfig: " + OneLine(ex.Message), "");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException
            or YamlDotNet.Core.YamlException)
        {
            // A kubeconfig that cannot be read or parsed: name the failure, never echo the file (it holds tokens).
            return new Resolved(null, $"kubeconfig: cannot be read ({ex.GetType().Name})", "");
        }
    }

    private static Resolved ResolveOrThrow(string? flag, string? environment, string? home, bool inCluster)
    {
        if (!string.IsNullOrEmpty(flag))
        {
            return File.Exists(flag)
                ? new Resolved(FromFile(flag), null, "--kubeconfig " + flag)
                : new Resolved(null, $"--kubeconfig: file '{flag}' does not exist", "");
        }
        if (!string.IsNullOrEmpty(environment))
        {
            // kubectl skips listed files that do not exist. BuildDefaultConfig reads the variable itself and merges the
            // list, but fails on a missing entry, so a list with one existing file is read as that file.
            var existing = environment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(f => f.Trim('"')).Where(File.Exists).ToArray();
            return existing.Length switch
            {
                0 => new Resolved(null, $"KUBECONFIG: no file it names exists ({environment})", ""),
                1 => new Resolved(FromFile(existing[0]), null, "KUBECONFIG"),
                _ => new Resolved(KubernetesClientConfiguration.BuildDefaultConfig(), null, "KUBECONFIG"),
            };
        }
        var user = string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".kube", "config");
        if (user is not null && File.Exists(user))
        {
            return new Resolved(FromFile(user), null, user);
        }
        if (inCluster)
        {
            return new Resolved(KubernetesClientConfiguration.InClusterConfig(), null, "in-cluster service account");
        }
        return new Resolved(null,
            "no kubeconfig: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a service account", "");
    }

    // What KubernetesClientConfiguration.BuildConfigFromConfigFile does (read the file as a K8SConfiguration, paths in
    // it relative to its directory, then BuildConfigFromConfigObject), without KubernetesYaml: that class's static
    // initializer maps every property of every Kubernetes model type to YAML (three builders, reflection over the whole
    // model assembly), which cost about a second of the operator's start and loads types the kubeconfig never needs.
    // The deserializer here is KubernetesYaml's for the kubeconfig model (camelCase names, unmatched keys ignored,
    // unquoted scalars typed, merge keys), since the kubeconfig types carry their own YAML names and no JSON-named model types.
    internal static KubernetesClientConfiguration FromFile(string path)
    {
        using var reader = new StringReader(File.ReadAllText(path));
        var config = KubeconfigDeserializer.Deserialize<K8SConfiguration>(new MergingParser(new Parser(reader)))
            ?? throw new KubeConfigException("the file is empty");
        config.FileName = Path.GetFullPath(path);
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config);
    }

    private static readonly IDeserializer KubeconfigDeserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithAttemptingUnquotedStringTypeDeserialization()
        .IgnoreUnmatchedProperties()
        .Build();

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
