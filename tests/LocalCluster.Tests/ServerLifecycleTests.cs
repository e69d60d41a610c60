using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>Start/stop behaviour: state across restarts, the admin endpoint, one event store behind two APIs.</summary>
public sealed class ServerLifecycleTests
{
    static V1ConfigMap ConfigMap(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Data = new Dictionary<string, string> { ["k"] = "v" },
    };

    [Fact]
    public async Task A_restart_with_a_state_file_keeps_objects_and_resource_versions_never_go_back()
    {
        var state = Path.Combine(Path.GetTempPath(), $"lc-state-{Guid.NewGuid():N}.json");
        try
        {
            string lastRv;
            await using (var first = await LocalClusterServer.StartAsync(new LocalClusterOptions { StatePath = state }))
            {
                using var client = first.CreateClient();
                var created = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("kept"), "default");
                lastRv = created.Metadata.ResourceVersion;
            }
            await using var second = await LocalClusterServer.StartAsync(new LocalClusterOptions { StatePath = state });
            using var again = second.CreateClient();
            var read = await again.CoreV1.ReadNamespacedConfigMapAsync("kept", "default");
            Assert.Equal(lastRv, read.Metadata.ResourceVersion);
            var next = await again.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("new"), "default");
            Assert.True(long.Parse(next.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)
                > long.Parse(lastRv, System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(state);
        }
    }

    [Fact]
    public async Task The_admin_endpoint_injects_faults_and_reads_the_audit_trail()
    {
        await using var server = await LocalClusterServer.StartAsync();
        using var http = RawHttp.Create(server);
        var added = await RawHttp.SendAsync(http, HttpMethod.Post, "/admin/faults", """{"verb":"get","resource":"configmaps","code":503,"times":1}""");
        Assert.Equal(200, added.Code);
        var failed = await RawHttp.SendAsync(http, HttpMethod.Get, "/api/v1/namespaces/default/configmaps/x");
        Assert.Equal(503, failed.Code);
        Assert.Equal("ServiceUnavailable", (string?)failed.Body!["reason"]);
        var after = await RawHttp.SendAsync(http, HttpMethod.Get, "/api/v1/namespaces/default/configmaps/x");
        Assert.Equal(404, after.Code);
        var audit = await RawHttp.SendAsync(http, HttpMethod.Get, "/admin/audit");
        var codes = audit.Body!["items"]!.AsArray().Where(i => (string?)i!["resource"] == "configmaps").Select(i => (int)i!["code"]!);
        Assert.Equal([503, 404], codes);
    }

    [Fact]
    public async Task Events_written_through_events_k8s_io_are_read_through_core_v1_with_the_field_mapping()
    {
        await using var server = await LocalClusterServer.StartAsync();
        using var client = server.CreateClient();
        var ev = new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { Name = "e1" },
            EventTime = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            Type = "Normal",
            Reason = "Reconciled",
            Note = "all good",
            Action = "Reconcile",
            ReportingController = "hipaa-mongo-operator",
            ReportingInstance = "op-1",
            Regarding = new V1ObjectReference { Kind = "HipaaMongo", Name = "a", NamespaceProperty = "default", Uid = "u-1" },
        };
        await client.EventsV1.CreateNamespacedEventAsync(ev, "default");
        var core = await client.CoreV1.ListNamespacedEventAsync("default", fieldSelector: "involvedObject.name=a,involvedObject.uid=u-1");
        var e = Assert.Single(core.Items);
        Assert.Equal("all good", e.Message);
        Assert.Equal("hipaa-mongo-operator", e.ReportingComponent);
        Assert.Equal("HipaaMongo", e.InvolvedObject.Kind);
        var back = await client.EventsV1.ReadNamespacedEventAsync("e1", "default");
        Assert.Equal("all good", back.Note);
    }

    [Fact]
    public async Task The_executable_refuses_to_start_without_a_kubeconfig_path()
    {
        var exe = Path.Combine(AppContext.BaseDirectory, "local-cluster");
        var dll = exe + ".dll";
        Assert.True(File.Exists(dll), $"{dll} should be copied next to the tests");
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(dll);
        using var p = System.Diagnostics.Process.Start(psi)!;
        var err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("--kubeconfig PATH is required", err);
    }
}
