using System.Collections.Concurrent;
using System.Security.Cryptography;
using k8s;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.CertManager;

/// <summary>The CertificateRequest reads and writes of the simulated cert-manager, and the Events it records about them.</summary>
public sealed class CertificateRequestStore(IKubernetes client, TimeProvider clock)
{
    private const string Plural = "certificaterequests";
    private readonly ConcurrentDictionary<(string Uid, string Reason, string Message), string> _events = new();

    public Task<CertificateRequestResource?> GetAsync(string @namespace, string name, CancellationToken ct) =>
        KubernetesErrors.OrNullAsync(() => client.CustomObjects.GetNamespacedCustomObjectAsync<CertificateRequestResource>(
            CertManagerApi.Group, CertManagerApi.Version, @namespace, Plural, name, cancellationToken: ct));

    /// <summary>Writes the status subresource with the object's resourceVersion (a stale write is a conflict, retried).</summary>
    public async Task UpdateStatusAsync(CertificateRequestResource cr, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cr);
        using var _ = await client.CustomObjects.ReplaceNamespacedCustomObjectStatusWithHttpMessagesAsync<object>(cr, CertManagerApi.Group,
            CertManagerApi.Version, cr.Metadata.NamespaceProperty, Plural, cr.Metadata.Name, cancellationToken: ct);
    }

    /// <summary>
    /// An Event about the request, from <paramref name="component"/>, as client-go's recorder writes it: the same
    /// reason and message again bumps count and lastTimestamp of one Event.
    /// </summary>
    public async Task EventAsync(CertificateRequestResource cr, string component, string type, string reason, string message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(cr);
        var ns = cr.Metadata.NamespaceProperty;
        var now = clock.GetUtcNow().UtcDateTime;
        var key = (cr.Metadata.Uid ?? cr.Metadata.Name, reason, message);
        if (_events.TryGetValue(key, out var existing)
            && await KubernetesErrors.OrNullAsync(() => client.CoreV1.ReadNamespacedEventAsync(existing, ns, cancellationToken: ct)) is { } seen)
        {
            seen.Count = (seen.Count ?? 1) + 1;
            seen.LastTimestamp = now;
            await client.CoreV1.ReplaceNamespacedEventAsync(seen, existing, ns, cancellationToken: ct);
            return;
        }
        var name = $"{cr.Metadata.Name}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";
        _events[key] = name;
        await client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = CertManagerApi.ApiVersion,
                Kind = "CertificateRequest",
                NamespaceProperty = ns,
                Name = cr.Metadata.Name,
                Uid = cr.Metadata.Uid,
                ResourceVersion = cr.Metadata.ResourceVersion,
            },
            Reason = reason,
            Message = message,
            Type = type,
            Source = new V1EventSource { Component = component },
            ReportingComponent = component,
            ReportingInstance = "",
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        }, ns, cancellationToken: ct);
    }
}
