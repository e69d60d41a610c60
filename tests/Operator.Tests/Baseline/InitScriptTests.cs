using System.Diagnostics;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.Tests.Baseline;

/// <summary>
/// The rendered init script, run by a real sh twice in the same "pod" (a recreated sandbox re-runs init
/// containers) as UID 1001 with every capability dropped, as the restricted pod runs it. The script's absolute
/// paths are relocated under a temporary root laid out as the kubelet lays out the volumes (fsGroup 1001).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class InitScriptTests
{
    private const int MongodUid = 1001;

    [Fact]
    public void The_init_script_runs_twice_as_the_mongod_user_without_capabilities()
    {
        var root = Directory.CreateTempSubdirectory("hm-initscript-");
        try
        {
            var script = Relocate(Script(Models.Minimal()), root.FullName);
            Volumes(root.FullName);
            Source(root.FullName, "mongod.conf", "net: {}\n");

            Assert.Equal((0, ""), RunAsMongod(script));
            Source(root.FullName, "mongod.conf", "net: {port: 27017}\n"); // the ConfigMap changed meanwhile
            Assert.Equal((0, ""), RunAsMongod(script));

            var copied = Path.Combine(root.FullName, "etc/mongodb/config/mongod.conf");
            Assert.Equal("net: {port: 27017}\n", File.ReadAllText(copied));
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(copied));
            var pem = Path.Combine(root.FullName, "etc/mongodb/kmip/tls-combined.pem");
            Assert.Equal("KEY\nCRT\n", File.ReadAllText(pem));
            Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(pem));
            Assert.True(Directory.Exists(Path.Combine(root.FullName, "data/db/audit")));
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static string Script(BaselineModel model)
    {
        var sts = DesiredStateRenderer.Render(model).OfType<k8s.Models.V1StatefulSet>().Single();
        var init = Assert.Single(sts.Spec.Template.Spec.InitContainers);
        Assert.Equal(["sh", "-c"], init.Command.Take(2));
        return init.Command[2];
    }

    private static string Relocate(string script, string root) =>
        script.Replace(" /etc/mongodb/", $" {root}/etc/mongodb/", StringComparison.Ordinal)
              .Replace(" /data/db", $" {root}/data/db", StringComparison.Ordinal);

    // emptyDirs and the claim are group-owned by fsGroup and group-writable; Secret and ConfigMap files 0440.
    private static void Volumes(string root)
    {
        foreach (var dir in new[] { "etc/mongodb/config", "etc/mongodb/kmip", "data/db" })
            Own(Directory.CreateDirectory(Path.Combine(root, dir)).FullName, (UnixFileMode)Convert.ToInt32("2777", 8));
        foreach (var dir in new[] { "etc/mongodb/config-src", "etc/mongodb/kmip-src" })
            Own(Directory.CreateDirectory(Path.Combine(root, dir)).FullName, (UnixFileMode)Convert.ToInt32("0755", 8));
        Source(root, "../kmip-src/tls.key", "KEY\n");
        Source(root, "../kmip-src/tls.crt", "CRT\n");
        Own(root, (UnixFileMode)Convert.ToInt32("0755", 8));
    }

    private static void Source(string root, string name, string text)
    {
        var path = Path.GetFullPath(Path.Combine(root, "etc/mongodb/config-src", name));
        File.WriteAllText(path, text);
        Own(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);
    }

    private static void Own(string path, UnixFileMode mode)
    {
        File.SetUnixFileMode(path, mode);
        if (Environment.IsPrivilegedProcess)
            Assert.Equal((0, ""), Run("chown", ["0:" + MongodUid, path]));
    }

    // As root (CI containers), setpriv drops to 1001 and clears every capability set; otherwise the test
    // already runs as an unprivileged user, which holds no capability either.
    private static (int, string) RunAsMongod(string script) => Environment.IsPrivilegedProcess
        ? Run("setpriv", [$"--reuid={MongodUid}", $"--regid={MongodUid}", "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "sh", "-c", script])
        : Run("sh", ["-c", script]);

    private static (int, string) Run(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var error = p.StandardError.ReadToEnd();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, error);
    }
}
