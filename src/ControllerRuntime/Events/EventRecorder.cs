using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.ControllerRuntime.Events;

/// <summary>
/// EventRecorder emits core/v1 Events and aggregates repeats like client-go's recorder: an Event with the same
/// source, involved object (kind, namespace, name, uid), type, reason and message as one seen within
/// <see cref="Window"/> is not created again; the existing Event gets count+1 and a new lastTimestamp (a patch).
/// Events are best-effort: failures are logged, never thrown. Messages that look like secrets are dropped
/// (see <see cref="SecretGuard"/>); callers remain responsible for keeping secrets and PHI out of messages.
/// </summary>
public sealed class EventRecorder : IDisposable
{
    /// <summary>Event type for expected happenings.</summary>
    public const string Normal = "Normal";

    /// <summary>Event type for trouble a person may need to know about.</summary>
    public const string Warning = "Warning";

    private const int MaxMessageLength = 1024;
    private const int MaxEntries = 4096;

    private readonly IEventSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<AggregationKey, Entry> _seen = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates a recorder writing as <paramref name="component"/> (the Event's source.component).</summary>
    public EventRecorder(IEventSink sink, string component, ILogger logger, TimeProvider? time = null, string? host = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(component);
        _sink = sink;
        Component = component;
        Host = host;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>source.component and reportingComponent of every Event.</summary>
    public string Component { get; }

    /// <summary>source.host and reportingInstance (e.g. the pod name), optional.</summary>
    public string? Host { get; }

    /// <summary>Repeats within this window are aggregated (client-go's aggregation interval is 10 minutes).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Records an Event about <paramref name="obj"/>. Returns true when an Event was written (created or bumped).
    /// </summary>
    public async Task<bool> RecordAsync(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        Validate(type, reason);
        if (Publishable(obj, reason, message) is not { } text)
        {
            return false;
        }
        message = text;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await WriteAsync(obj, type, reason, message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Could not write Event {Reason} on {Kind} {Name}", reason, obj.Kind, obj.Metadata?.Name);
            return false;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Records an Event that must go out exactly once for <paramref name="occurrence"/> (a key the caller derives from
    /// stored state, e.g. the version of the record the announcement was decided from). The Event's name is derived
    /// from the involved object's uid and the occurrence, so a caller that re-decides the same announcement after a
    /// stop or a failed write creates the same name, and the API server's AlreadyExists (409) says it is already out.
    /// Returns true when created, false when it already existed or its message was refused as secret-looking.
    /// Unlike <see cref="RecordAsync"/> a failure is thrown: the caller must not record the announcement as made.
    /// </summary>
    public async Task<bool> RecordOnceAsync(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message,
        string occurrence, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentException.ThrowIfNullOrEmpty(occurrence);
        Validate(type, reason);
        if (Publishable(obj, reason, message) is not { } text)
        {
            return false;
        }
        var ev = Build(obj, type, reason, text, _time.GetUtcNow().UtcDateTime);
        ev.Metadata.Name = OnceName(obj.Metadata, occurrence);
        try
        {
            await _sink.CreateAsync(ev, cancellationToken);
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            return false; // created by an earlier attempt of the same announcement
        }
    }

    // The message as an Event may carry it (truncated to the API's bound), or null when it looks like a secret.
    private string? Publishable(IKubernetesObject<V1ObjectMeta> obj, string reason, string? message)
    {
        message ??= "";
        if (SecretGuard.LooksSecret(message))
        {
            // Log the reason only: repeating the message here would leak what we refused to publish.
            _logger.LogWarning("Dropped Event {Reason} on {Kind} {Name}: its message looks like it contains a secret",
                reason, obj.Kind, obj.Metadata?.Name);
            return null;
        }
        return message.Length > MaxMessageLength ? message[..(MaxMessageLength - 3)] + "..." : message;
    }

    // "<object name>.<16 hex digits>": the digest of uid and occurrence, so equal inputs name the same Event.
    private static string OnceName(V1ObjectMeta? meta, string occurrence)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{meta?.Uid}\n{occurrence}"));
        return $"{meta?.Name}.{Convert.ToHexStringLower(digest.AsSpan(0, 8))}";
    }

    private async Task<bool> WriteAsync(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message,
        CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var key = new AggregationKey(obj.ApiVersion, obj.Kind, obj.Metadata?.NamespaceProperty, obj.Metadata?.Name,
            obj.Metadata?.Uid, type, reason, message);
        if (_seen.TryGetValue(key, out var entry) && now - entry.LastSeen <= Window)
        {
            var count = entry.Count + 1;
            if (await _sink.PatchCountAsync(entry.Namespace, entry.Name, count, now, cancellationToken))
            {
                _seen[key] = entry with { Count = count, LastSeen = now };
                return true;
            }
        }
        var ev = Build(obj, type, reason, message, now);
        await _sink.CreateAsync(ev, cancellationToken);
        Remember(key, new Entry(ev.Metadata.NamespaceProperty, ev.Metadata.Name, 1, now));
        return true;
    }

    private Corev1Event Build(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message, DateTime now)
    {
        var meta = obj.Metadata ?? new V1ObjectMeta();
        var ns = string.IsNullOrEmpty(meta.NamespaceProperty) ? "default" : meta.NamespaceProperty;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            // client-go names Events "<object name>.<unix nanos in hex>", unique per emission.
            Metadata = new V1ObjectMeta { Name = $"{meta.Name}.{UnixNanos(now):x}", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = obj.ApiVersion,
                Kind = obj.Kind,
                Name = meta.Name,
                NamespaceProperty = meta.NamespaceProperty,
                Uid = meta.Uid,
                ResourceVersion = meta.ResourceVersion,
            },
            Reason = reason,
            Message = message,
            Type = type,
            Source = new V1EventSource { Component = Component, Host = Host },
            ReportingComponent = Component,
            ReportingInstance = Host ?? "",
            Count = 1,
            FirstTimestamp = now,
            LastTimestamp = now,
        };
    }

    private void Remember(AggregationKey key, Entry entry)
    {
        _seen[key] = entry;
        if (_seen.Count > MaxEntries)
        {
            // Bounded like client-go's LRU: forget the entry seen longest ago.
            var oldest = _seen.MinBy(p => p.Value.LastSeen).Key;
            _seen.Remove(oldest);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _gate.Dispose();

    private static long UnixNanos(DateTime utc) => (utc - DateTime.UnixEpoch).Ticks * 100;

    private static void Validate(string type, string reason)
    {
        if (type is not (Normal or Warning))
        {
            throw new ArgumentException($"Event type must be Normal or Warning, not '{type}'", nameof(type));
        }
        if (string.IsNullOrEmpty(reason) || !char.IsAsciiLetterUpper(reason[0]) || !reason.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"Event reason must be UpperCamelCase, not '{reason}'", nameof(reason));
        }
    }

    private readonly record struct AggregationKey(string? ApiVersion, string? Kind, string? Namespace, string? Name,
        string? Uid, string Type, string Reason, string Message);

    private sealed record Entry(string Namespace, string Name, int Count, DateTime LastSeen);
}
