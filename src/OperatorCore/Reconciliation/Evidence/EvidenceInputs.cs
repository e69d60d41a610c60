using System.Text.Json.Nodes;
using HipaaMongo.Operator.Baseline;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation.Apply;
using HipaaMongo.Operator.Reconciliation.Drift;
using HipaaMongo.Operator.Reporting;
using k8s.Models;

namespace HipaaMongo.Operator.Reconciliation.Evidence;

/// <summary>Pure: what one pass adds to the evidence ledger (EvidenceRecord), from values the pass already holds.</summary>
public static class EvidenceInputs
{
    /// <summary>Kubernetes objects reverted in this pass (OutOfBandChanges.Reverted: the same findings the Events name).</summary>
    public static IEnumerable<DriftCorrection> Reverted(IReadOnlyList<DriftFinding> reverted, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(reverted);
        return reverted
            .Select(f => new DriftCorrection(at, at, f.Class.ToString(), $"{f.Kind} {f.Namespace}/{f.Name}", "reverted: " + f.Message));
    }

    /// <summary>Runtime settings found drifted on members in a verification of this pass: corrected or not.</summary>
    public static IEnumerable<DriftCorrection> Runtime(IEnumerable<MemberVerification> verified)
    {
        ArgumentNullException.ThrowIfNull(verified);
        foreach (var v in verified)
        {
            foreach (var c in v.Corrections)
            {
                var detail = c.Applied
                    ? $"reverted: {c.Setting} was {c.Found}, set to {c.Desired} on {v.PodName}"
                    : $"not reverted: {c.Setting} is {c.Found}, desired {c.Desired} on {v.PodName}";
                yield return new DriftCorrection(v.ObservedAt, c.Applied ? v.ObservedAt : null, "RuntimeSetting", $"Pod {v.PodName} {c.Setting}", detail);
            }
            foreach (var u in v.Uncorrectable)
            {
                yield return new DriftCorrection(v.ObservedAt, null, "UncorrectableDrift", $"Pod {v.PodName}", u);
            }
        }
    }

    /// <summary>Members found on a new KMIP master key in this pass's verification (a rotation), with both key ids.</summary>
    public static IEnumerable<DriftCorrection> MasterKeys(IReadOnlyList<KeyManagement.MasterKeyChange> changes, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(changes);
        return changes.Select(c => new DriftCorrection(at, at, "MasterKeyRotated", $"Pod {c.Pod} KMIP master key",
            $"key id {c.Previous} -> {c.Current}"));
    }

    /// <summary>Each rendered Certificate: the subject it requests (spec) and its notAfter as read this pass.</summary>
    public static IReadOnlyList<CertificateEntry> Certificates(IReadOnlyList<AppliedObject> applied, IReadOnlyList<Compliance.CertificateFinding> found)
    {
        ArgumentNullException.ThrowIfNull(applied);
        ArgumentNullException.ThrowIfNull(found);
        return
        [
            .. applied.Select(a => a.Desired).OfType<CertManagerObject>().Where(c => c.Kind == "Certificate")
                .Select(c => new CertificateEntry(c.Metadata.Name, Subject(c.Spec), found.FirstOrDefault(f => f.Name == c.Metadata.Name)?.NotAfter)),
        ];
    }

    /// <summary>The hash the pod template carries for the rendered mongod.conf (WorkloadRenderer.ConfigHash).</summary>
    public static string ConfigHash(DesiredState desired)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var config = desired.OfType<V1ConfigMap>().FirstOrDefault();
        return config is null ? "" : WorkloadRenderer.ConfigHash(config);
    }

    private static string Subject(JsonObject spec)
    {
        var parts = new List<string>();
        if (spec["commonName"]?.ToString() is { Length: > 0 } cn)
        {
            parts.Add("CN=" + cn);
        }
        parts.AddRange(Values(spec["subject"]?["organizationalUnits"]).Select(ou => "OU=" + ou));
        parts.AddRange(Values(spec["subject"]?["organizations"]).Select(o => "O=" + o));
        return string.Join(",", parts);
    }

    private static IEnumerable<string> Values(JsonNode? node) =>
        node is JsonArray a ? a.Select(v => v?.ToString() ?? "").Where(v => v.Length > 0) : [];
}
