using System.Net;
using System.Net.Sockets;
using k8s.Models;

namespace HipaaMongo.ClusterSimulations.Pods;

/// <summary>
/// A readiness probe's consecutive results, as the kubelet's prober worker counts them: Ready turns False after
/// failureThreshold (default 3) failures in a row and True again after successThreshold (default 1) successes.
/// Probes run once per periodSeconds (default 10) of the clock passed in.
/// </summary>
public sealed class ReadinessTracker
{
    private DateTimeOffset? _last;
    private int _failures;
    private int _successes;

    /// <summary>True when a period has passed since the last probe (the first probe comes a period after start).</summary>
    public bool Due(DateTimeOffset now, V1Probe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (_last is null)
        {
            _last = now;
            return false;
        }
        if (now - _last < TimeSpan.FromSeconds(Math.Max(1, probe.PeriodSeconds ?? 10)))
        {
            return false;
        }
        _last = now;
        return true;
    }

    /// <summary>Counts one result; returns the new readiness when a threshold is reached, else null.</summary>
    public bool? Record(bool passed, V1Probe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        if (passed)
        {
            _failures = 0;
            return ++_successes >= Math.Max(1, probe.SuccessThreshold ?? 1) ? true : null;
        }
        _successes = 0;
        return ++_failures >= Math.Max(1, probe.FailureThreshold ?? 3) ? false : null;
    }
}

/// <summary>Runs one readiness probe against a simulated pod.</summary>
public static class ReadinessProbe
{
    /// <summary>
    /// tcpSocket: a real TCP connect to podIP:port within timeoutSeconds (a hung process whose socket still
    /// listens passes, as on a real node). exec, httpGet and grpc cannot run here: they pass when the process
    /// answers (<paramref name="answers"/>), which is what they would check.
    /// </summary>
    public static async Task<bool> RunAsync(V1Probe probe, V1Container container, string podIp, Func<bool> answers, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(answers);
        if (probe.TcpSocket is not { } tcp)
        {
            return answers();
        }
        if (Port(tcp.Port, container) is not { } port)
        {
            return false; // kubelet: a named port the container does not declare fails the probe
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds ?? 1)));
        using var socket = new TcpClient();
        try
        {
            await socket.ConnectAsync(IPAddress.Parse(tcp.Host ?? podIp), port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static int? Port(IntOrString port, V1Container container)
    {
        var text = port?.Value ?? "";
        return int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
            : container.Ports?.FirstOrDefault(p => p.Name == text)?.ContainerPort;
    }
}
