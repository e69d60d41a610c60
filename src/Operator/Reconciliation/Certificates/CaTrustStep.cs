using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.ControllerRuntime.Events;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Reconciliation.Apply;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Reconciliation.Certificates;

/// <summary>
/// The trust step of a pass (docs/certificates.md, "When the CA is lost or replaced"): reads the CA, the member
/// certificate and the trust bundle, lets <see cref="CaTrustPlanner"/> decide, writes the bundle ConfigMap the members
/// mount as net.tls.CAFile, and re-issues the member certificate as `cmctl renew` does (the Certificate from the cache,
/// written back with its resourceVersion: a conflict waits for the next pass). At rest it reads nothing: only
/// a pass that verified the members, a missing bundle, or a bundle whose content is not what the operator wrote (its
/// digest annotation) looks further.
/// </summary>
public sealed partial class CaTrustStep(IKubernetes client, OwnedCaches caches, ObjectWriter writer, EventRecorder events, ILogger<CaTrustStep> logger)
{
    public const string DigestAnnotation = "hipaa.mongooperator.io/ca-bundle-sha256";
    public const string PreviousAnnotation = "hipaa.mongooperator.io/previous-ca-sha256";
    public const string AwaitingAnnotation = "hipaa.mongooperator.io/awaiting-member-serial";
    private static readonly ResourcePath ConfigMaps = new("", "v1", "configmaps");

    public async Task<CaTrustPlan?> RunAsync(HipaaMongoResource resource, CaTrustMembers members, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(members);
        var (ns, name) = (resource.Metadata.NamespaceProperty, resource.Metadata.Name);
        var cached = caches.ConfigMaps.Get(new ObjectKey(ns, Names.CaBundle(name)));
        if (!members.VerifiedNow && cached is not null && Untouched(cached))
        {
            return null;
        }
        try
        {
            return await DecideAndActAsync(resource, members, cached, ct);
        }
        catch (HttpOperationException e) when (!ct.IsCancellationRequested)
        {
            // The rest of the pass goes on (status, evidence); the next pass tries again. The code alone: never a body.
            LogFailed(logger, ns, name, (int?)e.Response?.StatusCode);
            return null;
        }
    }

    private async Task<CaTrustPlan> DecideAndActAsync(HipaaMongoResource resource, CaTrustMembers members, V1ConfigMap? cached, CancellationToken ct)
    {
        var (ns, name) = (resource.Metadata.NamespaceProperty, resource.Metadata.Name);
        var memberSecret = await SecretAsync(ns, Names.MemberSecret(name), ct);
        // With spec.tls.issuerRef there is no CA Certificate of ours: the CA is the one cert-manager writes beside the leaf.
        var caPem = Text(resource.Spec.Tls.IssuerRef is null ? await SecretAsync(ns, Names.CaSecret(name), ct) : memberSecret, "ca.crt");
        var certificate = caches.Certificates.Get(new ObjectKey(ns, Names.MemberCertificate(name))) is { } live ? Drift.ObjectJson.From(live) : null;
        var facts = CaTrustObservation.Facts(caPem, Text(memberSecret, "tls.crt"), Text(memberSecret, "ca.crt"), cached, members) with
        {
            Issuing = Issuing(certificate),
        };
        var plan = CaTrustPlanner.Decide(facts, Names.CaSecret(name), Names.CaBundle(name));
        if (plan.Bundle is { } bundle && (!facts.BundleIs(bundle) || CaTrustObservation.Value(cached?.Metadata.Annotations, AwaitingAnnotation) != plan.AwaitingSerial
            || !Untouched(cached)))
        {
            await writer.ApplyAsync(ConfigMaps, Desired(resource, bundle, plan), ct);
            LogBundle(logger, ns, Names.CaBundle(name), bundle.Count, plan.Stage.ToString());
        }
        if (plan.Reissue && certificate is not null)
        {
            await ReissueAsync(resource, certificate, plan, ct);
        }
        await AnnounceAsync(resource, plan, ct);
        return plan;
    }

    // One Event per stage the CertificateAuthority condition does not show yet (the status written after this step).
    private async Task AnnounceAsync(HipaaMongoResource resource, CaTrustPlan plan, CancellationToken ct)
    {
        var shown = ControllerRuntime.Meta.Conditions.Find(resource.Status?.Conditions, ConditionTypes.CertificateAuthority);
        if (plan.Stage == CaTrustStage.Waiting || shown?.Message == plan.Message || (shown is null && plan.Stage == CaTrustStage.Consistent))
        {
            return;
        }
        await events.RecordAsync(resource, EventRecorder.Normal, EventReasons.CaTrustStage, $"{plan.Stage}: {plan.Message}", ct);
    }

    // cmctl renew: Issuing=True, reason ManuallyTriggered, on the status (cert-manager cmd/ctl/pkg/renew/renew.go
    // renewCertificate, UpdateStatus); cert-manager's issuing controller acts on it and removes it once issued.
    private async Task ReissueAsync(HipaaMongoResource resource, JsonObject certificate, CaTrustPlan plan, CancellationToken ct)
    {
        var status = certificate["status"] as JsonObject ?? [];
        certificate["status"] = status;
        var conditions = status["conditions"] as JsonArray ?? [];
        status["conditions"] = conditions;
        foreach (var issuing in conditions.Where(c => c?["type"]?.GetValue<string>() == "Issuing").ToList())
        {
            conditions.Remove(issuing);
        }
        conditions.Add(new JsonObject
        {
            ["type"] = "Issuing",
            ["status"] = "True",
            ["reason"] = "ManuallyTriggered",
            ["message"] = "Certificate re-issuance manually triggered",
            ["lastTransitionTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            ["observedGeneration"] = certificate["metadata"]?["generation"]?.GetValue<long>(),
        });
        var (ns, name) = (resource.Metadata.NamespaceProperty, certificate["metadata"]!["name"]!.GetValue<string>());
        try
        {
            await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(certificate, CertManagerKinds.Group, CertManagerKinds.Version, ns,
                "certificates", name, fieldManager: ObjectWriter.FieldManager, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.Conflict)
        {
            return; // changed meanwhile (cert-manager wrote its status): the next pass decides again
        }
        await events.RecordAsync(resource, EventRecorder.Normal, EventReasons.CertificateReissued,
            $"re-issuing Certificate {name} from the current CA (Issuing ManuallyTriggered): {plan.Stage}", ct);
    }

    private static JsonObject Desired(HipaaMongoResource resource, IReadOnlyList<CaCert> bundle, CaTrustPlan plan)
    {
        var data = string.Concat(bundle.Select(c => c.Pem.TrimEnd() + "\n"));
        var meta = ObjectMetaFactory.Create(BaselineModelMapper.Map(resource), Names.CaBundle(resource.Metadata.Name), Labels.Tls);
        meta.Annotations = new Dictionary<string, string> { [DigestAnnotation] = Digest(data) };
        if (plan.Previous is { } previous)
        {
            meta.Annotations[PreviousAnnotation] = previous;
        }
        if (plan.AwaitingSerial is { } serial)
        {
            meta.Annotations[AwaitingAnnotation] = serial;
        }
        return JsonNode.Parse(KubernetesJson.Serialize(new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = meta,
            Data = new Dictionary<string, string> { [PodVolumes.CaKey] = data },
        }))!.AsObject();
    }

    // The content is what the operator last wrote (its digest annotation matches): nothing to look at without a verification.
    private static bool Untouched(V1ConfigMap? cm) =>
        CaTrustObservation.Value(cm?.Data, PodVolumes.CaKey) is { } data && CaTrustObservation.Value(cm!.Metadata.Annotations, DigestAnnotation) == Digest(data);

    public static string Digest(string data) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(data)));

    private static bool Issuing(JsonObject? certificate) =>
        (certificate?["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.GetValue<string>() == "Issuing" && c["status"]?.GetValue<string>() == "True");

    private static string? Text(V1Secret? secret, string key) =>
        secret?.Data?.TryGetValue(key, out var bytes) == true && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;

    private async Task<V1Secret?> SecretAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(name, ns, cancellationToken: ct);
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "the trust step of {Namespace}/{Name} failed ({Code}); it is tried again next pass")]
    private static partial void LogFailed(ILogger logger, string @namespace, string name, int? code);

    [LoggerMessage(Level = LogLevel.Information, Message = "wrote trust bundle {Namespace}/{Name} with {Count} CA(s), stage {Stage}")]
    private static partial void LogBundle(ILogger logger, string @namespace, string name, int count, string stage);
}

/// <summary>Pure: the planner's facts from what the trust step read (PEM text, the cached bundle, the member step).</summary>
public static class CaTrustObservation
{
    public static CaTrustFacts Facts(string? caPem, string? leafPem, string? leafCaPem, V1ConfigMap? bundle, CaTrustMembers members)
    {
        ArgumentNullException.ThrowIfNull(members);
        var current = Cas(caPem) is [var first, ..] ? first : null;
        using var leaf = Leaf(leafPem);
        var leafCa = Cas(leafCaPem).FirstOrDefault(c => leaf is not null && IssuedBy(leaf, c));
        var notAfter = leaf is null ? (DateTimeOffset?)null : new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var served = members.Members;
        return new CaTrustFacts
        {
            Current = current,
            MemberLeafOnCurrent = leaf is null || current is null ? null : IssuedBy(leaf, current),
            MemberLeafCa = leafCa,
            MemberLeafSerial = leaf?.SerialNumber,
            Bundle = Cas(Value(bundle?.Data, PodVolumes.CaKey)),
            PreviousThumbprint = Value(bundle?.Metadata.Annotations, CaTrustStep.PreviousAnnotation),
            AwaitingSerial = Value(bundle?.Metadata.Annotations, CaTrustStep.AwaitingAnnotation),
            AllServeMemberLeaf = served is null || notAfter is null ? null
                : served.All(m => m.Reachable && m.TlsExpiry is { } e && Math.Abs((e - notAfter.Value).TotalSeconds) < 1),
            Probe = members.Probe,
            IdentitiesOnCurrent = members.Ca is { } ca ? !ca.StaleLeaves.Any(l => l.Contains("identity", StringComparison.Ordinal)) : null,
        };
    }

    /// <summary>A value of a string map (data, annotations), or null.</summary>
    public static string? Value(IDictionary<string, string>? map, string key) => map is not null && map.TryGetValue(key, out var v) ? v : null;

    /// <summary>Each certificate of a PEM text, with its SHA-256 thumbprint.</summary>
    public static IReadOnlyList<CaCert> Cas(string? pem)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            return [];
        }
        var all = new X509Certificate2Collection();
        try
        {
            all.ImportFromPem(pem);
            return [.. all.Select(c => new CaCert(Convert.ToHexStringLower(c.GetCertHash(HashAlgorithmName.SHA256)), c.ExportCertificatePem()))];
        }
        catch (CryptographicException)
        {
            return [];
        }
        finally
        {
            foreach (var c in all)
            {
                c.Dispose();
            }
        }
    }

    private static X509Certificate2? Leaf(string? pem)
    {
        try
        {
            return pem is null ? null : X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    // By key: the leaf's signature verifies under this CA (a re-issued CA has the same subject).
    private static bool IssuedBy(X509Certificate2 leaf, CaCert ca)
    {
        using var issuer = X509Certificate2.CreateFromPem(ca.Pem);
        return CaSignature.IssuedBy(leaf, [issuer]);
    }
}
