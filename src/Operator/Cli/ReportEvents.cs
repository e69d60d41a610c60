using HipaaMongo.Entities;
using HipaaMongo.Operator.Reporting;
using k8s.Models;

namespace HipaaMongo.Operator.Cli;

/// <summary>Core/v1 Events about one HipaaMongo, as report timeline entries. Pure.</summary>
internal static class ReportEvents
{
    /// <summary>
    /// The field selector for Events whose involvedObject is the resource (kube-apiserver supports
    /// involvedObject.kind/name/namespace/uid for core/v1 Events); the uid keeps out Events of an earlier
    /// resource with the same name.
    /// </summary>
    public static string Selector(string @namespace, string name, string? uid)
    {
        var selector = $"involvedObject.kind={ApiGroup.Kind},involvedObject.namespace={@namespace},involvedObject.name={name}";
        return string.IsNullOrEmpty(uid) ? selector : $"{selector},involvedObject.uid={uid}";
    }

    /// <summary>The Event's latest occurrence; an Event with no time at all is left out (it cannot be placed).</summary>
    public static ReportEvent? From(Corev1Event e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var at = e.LastTimestamp ?? e.Series?.LastObservedTime ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp;
        if (at is not { } time)
        {
            return null;
        }

        var message = e.Message ?? "";
        if (e.Count is > 1)
        {
            message += $" (seen {e.Count} times since {ReportText.Time(Utc(e.FirstTimestamp ?? time))})";
        }

        return new ReportEvent(Utc(time), e.Type ?? "", e.Reason ?? "", message);
    }

    // KubernetesClient parses RFC 3339 times; an unspecified kind is UTC on the wire.
    private static DateTimeOffset Utc(DateTime t) =>
        new(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime());
}
