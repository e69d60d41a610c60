using HipaaMongo.ClusterSimulations.Pods.Mongod;
using HipaaMongo.MongodSimulator.Config;

namespace HipaaMongo.ClusterSimulations.Tests.Mongod;

/// <summary>The pure pieces: image recognition, path mapping, the mongod command line, init-container steps.</summary>
public sealed class MongodPodPartsTests
{
    private static readonly IReadOnlyList<KeyValuePair<string, string>> Mounts =
    [
        KeyValuePair.Create("/etc/mongodb/config-src", "/local/config-src"),
        KeyValuePair.Create("/etc/mongodb/config", "/local/config"),
        KeyValuePair.Create("/etc/mongodb/tls", "/local/tls"),
        KeyValuePair.Create("/data/db", "/local/data"),
    ];

    [Theory]
    [InlineData("mongodb/mongodb-enterprise-server:8.0.4-ubi8", Edition.Enterprise, "8.0.4")]
    [InlineData("percona/percona-server-mongodb:7.0.14-8-multi", Edition.Psmdb, "7.0.14")]
    [InlineData("registry.local:5000/mongo:7.0", Edition.Community, "7.0")]
    [InlineData("mongodb/mongodb-community-server@sha256:abcd", Edition.Community, "8.0.4")]
    public void Mongod_images_map_to_the_build_they_are(string image, Edition edition, string version)
    {
        Assert.True(MongodImage.IsMongod(image));
        Assert.Equal(new SimulatorProfile(edition, version), MongodImage.Profile(image));
    }

    [Theory]
    [InlineData("nginx:1.27")]
    [InlineData("registry.mongo-mirror.local:5000/busybox:1")] // "mongo" only in the registry host, not the image
    [InlineData("")]
    public void Other_images_are_not_mongod(string image) => Assert.False(MongodImage.IsMongod(image));

    [Fact]
    public void Only_paths_under_mounts_are_rewritten_and_the_longest_mount_wins()
    {
        const string conf = """
            net:
              bindIp: 0.0.0.0
              tls:
                certificateKeyFile: /etc/mongodb/tls/tls-combined.pem
                CAFile: "/etc/mongodb/tls/ca.crt"
            storage:
              dbPath: /data/db
            auditLog:
              path: '/data/db/audit/audit.json'
              filter: '{ atype: { $in: ["/etc/mongodb/tlsx"] } }'
            systemLog:
              path: /var/log/mongodb/mongod.log
            other: /etc/mongodb/config-src/x
            """;

        var mapped = MongodConfRewriter.MapPaths(conf, Mounts);

        Assert.Equal(conf
            .Replace("/etc/mongodb/tls/tls-combined.pem", "/local/tls/tls-combined.pem", StringComparison.Ordinal)
            .Replace("\"/etc/mongodb/tls/ca.crt\"", "\"/local/tls/ca.crt\"", StringComparison.Ordinal)
            .Replace("dbPath: /data/db", "dbPath: /local/data", StringComparison.Ordinal)
            .Replace("'/data/db/audit/audit.json'", "'/local/data/audit/audit.json'", StringComparison.Ordinal)
            .Replace("/etc/mongodb/config-src/x", "/local/config-src/x", StringComparison.Ordinal), mapped);
    }

    [Theory]
    [InlineData(new[] { "mongod", "--config", "/etc/mongod.conf" }, "/etc/mongod.conf")]
    [InlineData(new[] { "mongod", "-f", "/c" }, "/c")]
    [InlineData(new[] { "mongod", "--config=/d/m.conf", "--configExpand", "exec" }, "/d/m.conf")]
    [InlineData(new[] { "mongod", "--port", "27017" }, null)]
    public void The_config_file_comes_from_the_mongod_command_line(string[] argv, string? expected) =>
        Assert.Equal(expected, ContainerPaths.ConfigArgument(argv));

    [Fact]
    public void Container_paths_resolve_through_mounts_and_root_filesystem_paths_do_not()
    {
        Assert.Equal(Path.Combine("/local/config", "mongod.conf"), ContainerPaths.Local("/etc/mongodb/config/mongod.conf", Mounts));
        Assert.Equal("/local/data", ContainerPaths.Local("/data/db", Mounts));
        Assert.Null(ContainerPaths.Local("/etc/mongodb/configx/mongod.conf", Mounts));
    }

    [Fact]
    public void Init_container_file_steps_run_on_the_pod_volumes()
    {
        var root = Directory.CreateTempSubdirectory("hm-init-").FullName;
        try
        {
            var src = Directory.CreateDirectory(Path.Combine(root, "src")).FullName;
            var dst = Directory.CreateDirectory(Path.Combine(root, "dst")).FullName;
            var data = Directory.CreateDirectory(Path.Combine(root, "data")).FullName;
            File.WriteAllText(Path.Combine(src, "mongod.conf"), "net: {}\n");
            File.WriteAllText(Path.Combine(src, "key"), "K");
            File.WriteAllText(Path.Combine(src, "crt"), "C");
            IReadOnlyList<KeyValuePair<string, string>> mounts =
                [KeyValuePair.Create("/src", src), KeyValuePair.Create("/dst", dst), KeyValuePair.Create("/data/db", data)];

            const string script = "mkdir -p /data/db/audit && umask 0377 && rm -f /dst/* && cp /src/* /dst/ && chmod 0400 /dst/* " +
                "&& rm -f /dst/combined.pem && cat /src/key /src/crt > /dst/combined.pem";
            Assert.Null(InitContainerSteps.Run(["sh", "-c", script], mounts));
            File.WriteAllText(Path.Combine(src, "mongod.conf"), "net: {port: 27017}\n");

            Assert.Null(InitContainerSteps.Run(["sh", "-c", script], mounts)); // a recreated sandbox runs it again
            Assert.Equal("net: {port: 27017}\n", File.ReadAllText(Path.Combine(dst, "mongod.conf")));
            Assert.True(Directory.Exists(Path.Combine(data, "audit")));
            Assert.Equal("KC", File.ReadAllText(Path.Combine(dst, "combined.pem")));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("curl http://x", "init container step 'curl http://x': not a supported step")]
    [InlineData("mkdir -p /etc/elsewhere", "init container step 'mkdir -p /etc/elsewhere': /etc/elsewhere is not on a volume (read-only root filesystem)")]
    public void Init_container_steps_that_cannot_be_simulated_are_refused(string script, string expected) =>
        Assert.Equal(expected, InitContainerSteps.Run(["sh", "-c", script], Mounts));

    // The master-key rotation init container: mongod runs (and must exit 0) only while the marker is absent.
    [Fact]
    public async Task A_guarded_mongod_step_runs_until_its_marker_exists_and_a_refusal_stops_the_script()
    {
        var data = Directory.CreateTempSubdirectory("hm-init-").FullName;
        try
        {
            IReadOnlyList<KeyValuePair<string, string>> mounts = [KeyValuePair.Create("/data/db", data)];
            const string script = "test -f /data/db/.rotated || mongod --config /c --kmipRotateMasterKey && touch /data/db/.rotated";
            var runs = new List<IReadOnlyList<string>>();
            InitContainerSteps.MongodRunner refuses = argv => { runs.Add(argv); return Task.FromResult<string?>("mongod exited with code 1: no KMIP"); };
            InitContainerSteps.MongodRunner exits0 = argv => { runs.Add(argv); return Task.FromResult<string?>(null); };

            Assert.Equal($"init container step '{script.Split(" && ")[0]}': mongod exited with code 1: no KMIP",
                await InitContainerSteps.RunAsync(["sh", "-c", script], mounts, refuses));
            Assert.False(File.Exists(Path.Combine(data, ".rotated")));
            Assert.Null(await InitContainerSteps.RunAsync(["sh", "-c", script], mounts, exits0));
            Assert.True(File.Exists(Path.Combine(data, ".rotated")));
            Assert.Null(await InitContainerSteps.RunAsync(["sh", "-c", script], mounts, refuses)); // marked: mongod not run again
            Assert.Equal(2, runs.Count);
            Assert.Equal(["mongod", "--config", "/c", "--kmipRotateMasterKey"], runs[1]);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
