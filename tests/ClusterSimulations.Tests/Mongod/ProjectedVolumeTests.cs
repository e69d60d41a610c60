using System.Text;
using HipaaMongo.ClusterSimulations.Pods.Mongod;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Tests.Mongod;

/// <summary>
/// The kubelet's projected volume, simulated: a Secret's and a ConfigMap's keys in one directory, written in one
/// atomic swap of `..data` (pkg/volume/util/atomic_writer.go), and refreshed when either object changes.
/// </summary>
public sealed class ProjectedVolumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("projected-").FullName;
    private readonly Dictionary<string, Dictionary<string, byte[]>> _secrets = [];
    private readonly Dictionary<string, Dictionary<string, byte[]>> _configMaps = [];

    private sealed class Source(ProjectedVolumeTests t) : IPodVolumeSource
    {
        public Task<IReadOnlyDictionary<string, byte[]>?> ConfigMapAsync(string ns, string name, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, byte[]>?>(t._configMaps.GetValueOrDefault(name));

        public Task<IReadOnlyDictionary<string, byte[]>?> SecretAsync(string ns, string name, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<string, byte[]>?>(t._secrets.GetValueOrDefault(name));
    }

    private static V1Pod Pod() => new()
    {
        Metadata = new V1ObjectMeta { Name = "db-0", NamespaceProperty = "ns" },
        Spec = new V1PodSpec
        {
            Containers = [],
            Volumes =
            [
                new V1Volume
                {
                    Name = "member-tls",
                    Projected = new V1ProjectedVolumeSource
                    {
                        DefaultMode = 288,
                        Sources =
                        [
                            new V1VolumeProjection { Secret = new V1SecretProjection { Name = "leaf", Items = [new V1KeyToPath { Key = "tls-combined.pem", Path = "tls-combined.pem" }] } },
                            new V1VolumeProjection { ConfigMap = new V1ConfigMapProjection { Name = "bundle", Items = [new V1KeyToPath { Key = "ca.crt", Path = "ca.crt" }] } },
                        ],
                    },
                },
            ],
        },
    };

    [Fact]
    public async Task Both_sources_land_in_one_directory_and_a_refresh_swaps_them_together()
    {
        var ct = TestContext.Current.CancellationToken;
        _secrets["leaf"] = new() { ["tls-combined.pem"] = "leaf-1"u8.ToArray(), ["tls.key"] = "not projected"u8.ToArray() };
        _configMaps["bundle"] = new() { ["ca.crt"] = "ca-1"u8.ToArray() };
        var volumes = new PodVolumes(new Source(this), _dir, Path.Combine(_dir, "claims"));

        var dirs = await volumes.MaterialiseAsync(Pod(), ct);
        var dir = dirs["member-tls"];
        Assert.Equal("leaf-1", File.ReadAllText(Path.Combine(dir, "tls-combined.pem")));
        Assert.Equal("ca-1", File.ReadAllText(Path.Combine(dir, "ca.crt")));
        Assert.False(File.Exists(Path.Combine(dir, "tls.key"))); // only the listed items

        _secrets["leaf"]["tls-combined.pem"] = "leaf-2"u8.ToArray();
        _configMaps["bundle"]["ca.crt"] = "ca-2"u8.ToArray();
        var before = new DirectoryInfo(Path.Combine(dir, "..data")).LinkTarget;
        await volumes.RefreshAsync(Pod(), ct);

        Assert.Equal("leaf-2", File.ReadAllText(Path.Combine(dir, "tls-combined.pem")));
        Assert.Equal("ca-2", File.ReadAllText(Path.Combine(dir, "ca.crt")));
        var after = new DirectoryInfo(Path.Combine(dir, "..data")).LinkTarget;
        Assert.NotEqual(before, after);
        Assert.False(Directory.Exists(Path.Combine(dir, before!))); // the old generation is gone
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.GroupRead, File.GetUnixFileMode(Path.Combine(dir, after!, "ca.crt")));
        }
    }

    [Fact]
    public async Task A_missing_ConfigMap_keeps_the_pod_from_mounting_with_the_kubelet_words()
    {
        _secrets["leaf"] = new() { ["tls-combined.pem"] = "leaf-1"u8.ToArray() };
        var volumes = new PodVolumes(new Source(this), _dir, Path.Combine(_dir, "claims"));
        var e = await Assert.ThrowsAsync<PodVolumeException>(() => volumes.MaterialiseAsync(Pod(), TestContext.Current.CancellationToken));
        Assert.True(e.IsMount);
        Assert.Equal("MountVolume.SetUp failed for volume \"member-tls\" : configmap \"bundle\" not found", e.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
