using System.Net;
using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.ControllerRuntime.Tests.Support;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace HipaaMongo.ControllerRuntime.Tests;

public class EventRecorderTests
{
    private sealed class RecordingSink : IEventSink
    {
        public List<Corev1Event> Created { get; } = [];

        public Dictionary<string, (int Count, DateTime Last)> Patches { get; } = [];

        public bool Expired { get; set; }

        /// <summary>Answer a create of a name already created with 409, as the API server does.</summary>
        public bool RefuseTakenNames { get; init; }

        public Task CreateAsync(Corev1Event ev, CancellationToken cancellationToken)
        {
            if (RefuseTakenNames && Created.Any(c => c.Metadata.Name == ev.Metadata.Name))
            {
                // What the API server answers to a create of a name that exists.
                throw new HttpOperationException("AlreadyExists")
                {
                    Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.Conflict), ""),
                };
            }
            Created.Add(ev);
            return Task.CompletedTask;
        }

        public Task<bool> PatchCountAsync(string @namespace, string name, int count, DateTime lastTimestamp, CancellationToken cancellationToken)
        {
            if (Expired)
            {
                return Task.FromResult(false);
            }
            Patches[$"{@namespace}/{name}"] = (count, lastTimestamp);
            return Task.FromResult(true);
        }
    }

    private static V1ConfigMap Subject(string uid = "uid-1") => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "cfg", NamespaceProperty = "prod", Uid = uid, ResourceVersion = "7" },
    };

    private static (EventRecorder, RecordingSink, ManualTimeProvider) Make(bool refuseTakenNames = false)
    {
        var sink = new RecordingSink { RefuseTakenNames = refuseTakenNames };
        var clock = new ManualTimeProvider();
        return (new EventRecorder(sink, "test-operator", NullLogger.Instance, clock, host: "pod-0"), sink, clock);
    }

    [Fact]
    public async Task First_event_is_created_with_the_core_v1_fields()
    {
        var (recorder, sink, clock) = Make();
        using var _ = recorder;
        Assert.True(await recorder.RecordAsync(Subject(), EventRecorder.Warning, "DriftReverted", "removed sidecar", TestContext.Current.CancellationToken));

        var ev = Assert.Single(sink.Created);
        Assert.Equal("prod", ev.Metadata.NamespaceProperty);
        Assert.StartsWith("cfg.", ev.Metadata.Name);
        Assert.Equal(("v1", "ConfigMap", "cfg", "prod", "uid-1"),
            (ev.InvolvedObject.ApiVersion, ev.InvolvedObject.Kind, ev.InvolvedObject.Name, ev.InvolvedObject.NamespaceProperty, ev.InvolvedObject.Uid));
        Assert.Equal(("Warning", "DriftReverted", "removed sidecar", 1), (ev.Type, ev.Reason, ev.Message, ev.Count!.Value));
        Assert.Equal(("test-operator", "pod-0"), (ev.Source.Component, ev.Source.Host));
        Assert.Equal(clock.GetUtcNow().UtcDateTime, ev.FirstTimestamp);
        Assert.Equal(ev.FirstTimestamp, ev.LastTimestamp);
    }

    [Fact]
    public async Task An_occurrence_is_recorded_once_and_a_new_occurrence_is_a_new_event()
    {
        var (recorder, sink, clock) = Make(refuseTakenNames: true);
        using var _ = recorder;
        var ct = TestContext.Current.CancellationToken;

        Assert.True(await recorder.RecordOnceAsync(Subject(), EventRecorder.Normal, "ControlPassed", "c1 passed", "record/1/c1", ct));
        clock.Advance(TimeSpan.FromHours(1)); // a restarted operator re-deciding it later: same name, not repeated
        Assert.False(await recorder.RecordOnceAsync(Subject(), EventRecorder.Normal, "ControlPassed", "c1 passed again", "record/1/c1", ct));
        Assert.True(await recorder.RecordOnceAsync(Subject(), EventRecorder.Normal, "ControlPassed", "c1 passed", "record/2/c1", ct));
        Assert.True(await recorder.RecordOnceAsync(Subject("uid-2"), EventRecorder.Normal, "ControlPassed", "c1 passed", "record/1/c1", ct));

        Assert.Equal(3, sink.Created.Count);
        Assert.Equal(3, sink.Created.Select(e => e.Metadata.Name).Distinct().Count());
        Assert.All(sink.Created, e => Assert.Matches("^cfg\\.[0-9a-f]{16}$", e.Metadata.Name));
        Assert.Empty(sink.Patches);
    }

    [Fact]
    public async Task Record_once_throws_what_the_api_answers_except_already_exists()
    {
        using var failing = new EventRecorder(new FailingSink(), "test-operator", NullLogger.Instance);

        var ex = await Assert.ThrowsAsync<HttpOperationException>(() =>
            failing.RecordOnceAsync(Subject(), EventRecorder.Normal, "ControlPassed", "c1 passed", "record/1/c1", TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.InternalServerError, ex.Response.StatusCode);
    }

    private sealed class FailingSink : IEventSink
    {
        public Task CreateAsync(Corev1Event ev, CancellationToken cancellationToken) =>
            throw new HttpOperationException("boom") { Response = new HttpResponseMessageWrapper(new HttpResponseMessage(HttpStatusCode.InternalServerError), "") };

        public Task<bool> PatchCountAsync(string @namespace, string name, int count, DateTime lastTimestamp, CancellationToken cancellationToken) =>
            Task.FromResult(false);
    }

    [Fact]
    public async Task A_repeat_within_the_window_patches_count_and_last_timestamp_instead_of_creating()
    {
        var (recorder, sink, clock) = Make();
        using var _ = recorder;
        var ct = TestContext.Current.CancellationToken;
        await recorder.RecordAsync(Subject(), EventRecorder.Warning, "DriftReverted", "removed sidecar", ct);
        clock.Advance(TimeSpan.FromMinutes(1));
        await recorder.RecordAsync(Subject(), EventRecorder.Warning, "DriftReverted", "removed sidecar", ct);
        clock.Advance(TimeSpan.FromMinutes(1));
        await recorder.RecordAsync(Subject(), EventRecorder.Warning, "DriftReverted", "removed sidecar", ct);

        var created = Assert.Single(sink.Created);
        var patch = Assert.Single(sink.Patches);
        Assert.Equal($"prod/{created.Metadata.Name}", patch.Key);
        Assert.Equal(3, patch.Value.Count);
        Assert.Equal(clock.GetUtcNow().UtcDateTime, patch.Value.Last);
    }

    [Fact]
    public async Task A_different_message_reason_type_or_object_is_a_new_event()
    {
        var (recorder, sink, _) = Make();
        using var __ = recorder;
        var ct = TestContext.Current.CancellationToken;
        await recorder.RecordAsync(Subject(), EventRecorder.Warning, "DriftReverted", "a", ct);
        await recorder.RecordAsync(Subject(), EventRecorder.Warning, "DriftReverted", "b", ct);
        await recorder.RecordAsync(Subject(), EventRecorder.Warning, "Other", "a", ct);
        await recorder.RecordAsync(Subject(), EventRecorder.Normal, "DriftReverted", "a", ct);
        await recorder.RecordAsync(Subject("uid-2"), EventRecorder.Warning, "DriftReverted", "a", ct);

        Assert.Equal(5, sink.Created.Count);
        Assert.Empty(sink.Patches);
    }

    [Fact]
    public async Task After_the_window_or_when_the_event_expired_a_new_event_is_created()
    {
        var (recorder, sink, clock) = Make();
        using var _ = recorder;
        var ct = TestContext.Current.CancellationToken;
        await recorder.RecordAsync(Subject(), EventRecorder.Normal, "Created", "x", ct);
        clock.Advance(TimeSpan.FromMinutes(11));
        await recorder.RecordAsync(Subject(), EventRecorder.Normal, "Created", "x", ct);
        Assert.Equal(2, sink.Created.Count);

        sink.Expired = true;
        await recorder.RecordAsync(Subject(), EventRecorder.Normal, "Created", "x", ct);
        Assert.Equal(3, sink.Created.Count);
    }

    [Theory]
    [InlineData("password=hunter2")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----")]
    [InlineData("mongodb://admin:s3cr3t@db-0:27017")]
    [InlineData("Authorization: Bearer abcdefghijklmnop")]
    [InlineData("key QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODk=")]
    public async Task Secret_looking_messages_are_not_published(string message)
    {
        var (recorder, sink, _) = Make();
        using var __ = recorder;
        Assert.False(await recorder.RecordAsync(Subject(), EventRecorder.Warning, "Leak", message, TestContext.Current.CancellationToken));
        Assert.Empty(sink.Created);
    }

    [Theory]
    [InlineData("reverted container sidecar in StatefulSet prod/db")]
    [InlineData("NetworkPolicy db-default-deny was deleted; recreated it")]
    public void Ordinary_messages_are_not_mistaken_for_secrets(string message) => Assert.False(SecretGuard.LooksSecret(message));

    [Fact]
    public async Task Invalid_type_or_reason_is_refused()
    {
        var (recorder, _, _) = Make();
        using var __ = recorder;
        var ct = TestContext.Current.CancellationToken;
        await Assert.ThrowsAsync<ArgumentException>(() => recorder.RecordAsync(Subject(), "Error", "Reason", "m", ct));
        await Assert.ThrowsAsync<ArgumentException>(() => recorder.RecordAsync(Subject(), EventRecorder.Normal, "not camel", "m", ct));
    }
}

public class KubernetesEventSinkTests
{
    [Fact]
    public async Task The_sink_posts_a_new_event_then_merge_patches_count_and_lastTimestamp()
    {
        await using var server = await FakeApiServer.StartAsync();
        using var client = server.Client();
        var clock = new ManualTimeProvider();
        using var recorder = new EventRecorder(new KubernetesEventSink(client), "test-operator", NullLogger.Instance, clock);
        var subject = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "cfg", NamespaceProperty = "prod", Uid = "u1" },
        };
        var ct = TestContext.Current.CancellationToken;

        Assert.True(await recorder.RecordAsync(subject, EventRecorder.Warning, "DriftReverted", "removed sidecar", ct));
        clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True(await recorder.RecordAsync(subject, EventRecorder.Warning, "DriftReverted", "removed sidecar", ct));

        var writes = server.Events.Writes.ToArray();
        Assert.Equal(["POST", "PATCH"], writes.Select(w => w.Method));
        Assert.Equal("prod", writes[0].Body["involvedObject"]!["namespace"]!.GetValue<string>());
        Assert.Equal("test-operator", writes[0].Body["source"]!["component"]!.GetValue<string>());
        Assert.StartsWith("application/merge-patch+json", writes[1].ContentType);
        Assert.Equal(2, writes[1].Body["count"]!.GetValue<int>());
        Assert.Equal("2026-01-01T00:00:30Z", writes[1].Body["lastTimestamp"]!.GetValue<string>());
        var stored = Assert.Single(server.Events.Stored).Value;
        Assert.Equal(2, stored["count"]!.GetValue<int>());
        Assert.Contains("/api/v1/namespaces/prod/events", server.Requests.First());
    }
}
