using System.Text.RegularExpressions;

namespace HipaaMongo.ClusterSimulations.Pods.Mongod;

/// <summary>
/// The only edit made to a pod's mongod.conf: absolute paths under a container mountPath point at the local
/// directory holding that volume, because the container's filesystem does not exist here. Everything else
/// (including bindIp, which the simulator overrides with the pod IP at bind time) is left exactly as written.
/// </summary>
public static class MongodConfRewriter
{
    /// <summary>Rewrites every path that starts a YAML value (after ':', whitespace, a quote or '=') under a mountPath.</summary>
    public static string MapPaths(string yaml, IReadOnlyList<KeyValuePair<string, string>> mounts)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(mounts);
        // Longest mount first (the map is sorted) so /etc/mongodb/config-src is not taken for /etc/mongodb/config.
        var pattern = string.Join('|', mounts.Select(m => Regex.Escape(m.Key)));
        if (pattern.Length == 0)
        {
            return yaml;
        }
        var regex = new Regex($@"(?<=[\s'""=:])({pattern})(?=[/\s'""]|$)", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        return regex.Replace(yaml, m => mounts.First(p => p.Key == m.Value).Value);
    }
}
