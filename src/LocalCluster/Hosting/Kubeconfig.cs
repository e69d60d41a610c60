using System.Text;

namespace HipaaMongo.LocalCluster.Hosting;

/// <summary>Writes a kubeconfig (cluster with CA data, bearer-token user, context) readable by kubectl and KubernetesClient.</summary>
public static class Kubeconfig
{
    public static string Render(string server, string caPem, string token, string ns = "default")
    {
        var ca = Convert.ToBase64String(Encoding.ASCII.GetBytes(caPem));
        return $$"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: local-cluster
              cluster:
                server: {{server}}
                certificate-authority-data: {{ca}}
            users:
            - name: local-admin
              user:
                token: {{token}}
            contexts:
            - name: local-cluster
              context:
                cluster: local-cluster
                user: local-admin
                namespace: {{ns}}
            current-context: local-cluster
            preferences: {}

            """;
    }

    /// <summary>Writes the file readable only by the owner: it holds a bearer token.</summary>
    public static void Write(string path, string content)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
