using System.Text;
using System.Text.Json;
using HipaaMongo.Entities;
using k8s;

namespace HipaaMongo.Benchmarks.Members;

/// <summary>Reads the fleet as a person with kubectl would: how many sets are Ready with every member verified, and where members are.</summary>
public static class FleetState
{
    /// <summary>Sets whose status says Ready=True and every member healthy and verified (status.readyMembers).</summary>
    public static async Task<int> VerifiedSetsAsync(IKubernetes admin, CancellationToken ct)
    {
        var list = (JsonElement)await admin.CustomObjects.ListClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ApiGroup.Plural,
            cancellationToken: ct);
        return list.GetProperty("items").EnumerateArray().Count(Verified);
    }

    /// <summary>Sets whose status has caught up with their current generation (a spec edit has been acted on).</summary>
    public static async Task<int> ObservedSetsAsync(IKubernetes admin, CancellationToken ct)
    {
        var list = (JsonElement)await admin.CustomObjects.ListClusterCustomObjectAsync(ApiGroup.Group, ApiGroup.Version, ApiGroup.Plural,
            cancellationToken: ct);
        return list.GetProperty("items").EnumerateArray().Count(item =>
            item.TryGetProperty("status", out var status) && status.TryGetProperty("observedGeneration", out var observed)
            && observed.GetInt64() == item.GetProperty("metadata").GetProperty("generation").GetInt64());
    }

    /// <summary>The pod IPs of a set's members, by ordinal.</summary>
    public static async Task<IReadOnlyList<string>> MemberIpsAsync(IKubernetes admin, string ns, string set, CancellationToken ct)
    {
        var ips = new List<string>();
        for (var ordinal = 0; ordinal < MembersProfile.MembersPerSet; ordinal++)
        {
            var pod = await admin.CoreV1.ReadNamespacedPodAsync($"{set}-{ordinal}", ns, cancellationToken: ct);
            ips.Add(pod.Status?.PodIP ?? throw new InvalidOperationException($"pod {ns}/{set}-{ordinal} has no IP"));
        }

        return ips;
    }

    /// <summary>
    /// A client certificate, key and the cluster CA of the set's `operator` or `verifier` mongod user, obtained as the
    /// operator obtains its own: a CertificateRequest over a key made here (no Secret holds it).
    /// </summary>
    public static async Task<Identity> IdentityAsync(IKubernetes admin, string ns, string set, string which, CancellationToken ct)
    {
        var role = which == "verifier" ? HipaaMongo.Operator.Identity.ClientRole.Verifier : HipaaMongo.Operator.Identity.ClientRole.Operator;
        var issued = await TestIdentities.RequestedIdentity.ForAsync(admin, ns, set, role, ct);
        using var _ = issued.Certificate;
        return new Identity(issued.CertificatePem, issued.KeyPem, issued.CaPem);
    }

    /// <summary>Count of RuntimeSettingReverted Events naming redactClientLogData and the pod, across the fleet's namespaces.</summary>
    public static async Task<int> RevertedEventsAsync(IKubernetes admin, IEnumerable<string> namespaces, CancellationToken ct)
    {
        var count = 0;
        foreach (var ns in namespaces)
        {
            var events = await admin.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: ct);
            count += events.Items.Count(e => e.Reason == "RuntimeSettingReverted"
                && e.Message?.Contains("redactClientLogData", StringComparison.Ordinal) == true);
        }

        return count;
    }

    static bool Verified(JsonElement item)
    {
        if (!item.TryGetProperty("status", out var status))
        {
            return false;
        }

        var ready = status.TryGetProperty("conditions", out var conditions) && conditions.EnumerateArray()
            .Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");
        return ready && status.TryGetProperty("readyMembers", out var members) && members.ValueKind == JsonValueKind.Number
            && members.GetInt32() == MembersProfile.MembersPerSet;
    }
}

/// <summary>A client identity in PEM. The key is never printed: ToString names no field.</summary>
public sealed record Identity(string CertificatePem, string KeyPem, string CaPem)
{
    public override string ToString() => "Identity(PEM, redacted)";
}
