using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using HipaaMongo.ControllerRuntime;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;
using HipaaMongo.Operator.Members;
using HipaaMongo.Operator.Reconciliation;
using HipaaMongo.Operator.Reconciliation.Verification;
using HipaaMongo.Operator.Reporting;
using k8s;

namespace HipaaMongo.Operator.Tests.Reconciliation;

/// <summary>
/// Compliance status end to end on LocalCluster with the simulated cert-manager and StatefulSet controller: the
/// reconciler turns live observations (Kubernetes objects before correction, members through a scripted verifier)
/// into status.compliance, status.members and Events.
/// </summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class ComplianceStatusTests
{
    private static readonly ObjectKey Key = new(OperatorHarness.Namespace, OperatorHarness.Name);

    [Fact(Timeout = 90_000)]
    public async Task Healthy_members_make_the_resource_compliant_and_ready_with_every_column()
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        await h.CreateAsync(OperatorHarness.Sample(), ct);

        var resource = await WaitComplianceAsync(h, ComplianceState.True, ct);

        var status = resource.Status!;
        Assert.Equal(ControlCatalogue.All.Count, status.Compliance!.Total); // every control in scope (docs/compliance.md)
        Assert.Equal(status.Compliance.Total, status.Compliance.Passed);
        Assert.Empty(status.Compliance.Failing ?? []);
        Assert.NotNull(status.Compliance.EvaluatedAt);
        Assert.Equal(3, status.ReadyMembers);
        var memberStatus = status.Members ?? [];
        Assert.Equal(["phi-db-0", "phi-db-1", "phi-db-2"], memberStatus.Select(m => m.Name));
        Assert.All(memberStatus, m => Assert.Equal(MemberHealth.Healthy, m.Health));
        Assert.All(memberStatus, m => Assert.NotNull(m.VerifiedAt));
        Assert.NotNull(status.TlsExpiresAt);
        Assert.True(status.TlsExpiresAt > DateTime.UtcNow);
        Assert.Equal("True", Condition(resource, ConditionTypes.Ready)?.Status);
        Assert.Null(Condition(resource, ConditionTypes.Reconciling));
        foreach (var safeguard in ConditionTypes.Safeguards)
        {
            Assert.Equal(("True", ConditionReasons.Verified), (Condition(resource, safeguard)?.Status, Condition(resource, safeguard)?.Reason));
        }
        await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct), es => es.Any(e => e.Reason == EventReasons.ReplicaSetBootstrapped),
            "ReplicaSetBootstrapped event", ct);

        var row = await TableRowAsync(h, ct);
        Assert.Equal("True", row["Compliant"]);
        Assert.Equal("3", row["Ready-Members"]);
        Assert.False(string.IsNullOrEmpty(row["TLS-Expires"]));
        Assert.NotEqual("<none>", row["TLS-Expires"]);
    }

    [Fact(Timeout = 90_000)]
    public async Task Deleted_default_deny_policy_fails_compliance_with_an_event_then_recovers()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct, members: new FakeMemberVerifier(TimeProvider.System));
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitComplianceAsync(h, ComplianceState.True, ct);
        await using var history = await StatusHistory.StartAsync(h.Client, ct);

        await h.Client.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(OperatorHarness.Name + "-default-deny", OperatorHarness.Namespace,
            cancellationToken: ct);

        var failed = await WaitEventAsync(h, EventReasons.ControlFailed, "MDB-SC-NETWORK", ct);
        Assert.Equal("Warning", failed.Type);
        Assert.Contains("default-deny NetworkPolicy is missing", failed.Message);
        var recovered = await WaitEventAsync(h, EventReasons.ControlPassed, "MDB-SC-NETWORK", ct);
        Assert.Equal("Normal", recovered.Type);
        await WaitComplianceAsync(h, ComplianceState.True, ct);
        var states = history.Versions.Select(v => v.Status?.Compliance).ToList();
        var failing = Assert.Single(states, c => c?.Compliant == ComplianceState.False);
        Assert.Contains("MDB-SC-NETWORK", failing!.Failing ?? []);
        // The evidence ledger `hipaa-mongo report` reads keeps the correction beyond the Event's lifetime.
        var record = await OperatorHarness.EventuallyAsync(() => EvidenceAsync(h, ct),
            r => r?.Corrections.Any(c => c.Kind == "NetworkPolicyMissing") == true && r.Compliance.Compliant, "evidence of the correction", ct);
        Assert.Contains(record!.Corrections, c => c.Target.EndsWith("phi-db-default-deny", StringComparison.Ordinal) && c.CorrectedAt is not null);
    }

    [Fact(Timeout = 90_000)]
    public async Task Corrected_runtime_drift_is_an_event_and_member_drift_until_proven()
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        members.Script("phi-db-1", v => v with
        {
            Parameters = v.Parameters! with { RedactClientLogData = false },
            Corrections = [new RuntimeCorrection("redactClientLogData", "false", "true", true, null)],
        });
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        await h.CreateAsync(OperatorHarness.Sample(), ct);

        var reverted = await WaitEventAsync(h, EventReasons.RuntimeSettingReverted, "phi-db-1", ct);
        Assert.Equal("reverted: redactClientLogData was false, set to true on phi-db-1", reverted.Message);
        var resource = await WaitComplianceAsync(h, ComplianceState.False, ct);
        var member = resource.Status!.Members!.Single(m => m.Name == "phi-db-1");
        Assert.Contains("redactClientLogData", member.Drift ?? []);
        Assert.Contains("HIPAA-164.312(b)", resource.Status.Compliance!.Failing ?? []);
        await WaitEventAsync(h, EventReasons.ControlFailed, "HIPAA-164.312(b)", ct);

        var record = await OperatorHarness.EventuallyAsync(() => EvidenceAsync(h, ct),
            r => r?.Corrections.Any(c => c.Kind == "RuntimeSetting") == true, "runtime correction in the evidence ledger", ct);
        Assert.Contains(record!.Corrections, c => c.Detail == "reverted: redactClientLogData was false, set to true on phi-db-1");

        members.Heal("phi-db-1"); // the correction held: the prompt re-verification proves it

        resource = await WaitComplianceAsync(h, ComplianceState.True, ct);
        Assert.Null(resource.Status!.Members!.Single(m => m.Name == "phi-db-1").Drift);
        await WaitEventAsync(h, EventReasons.ControlPassed, "HIPAA-164.312(b)", ct);
    }

    [Fact(Timeout = 90_000)]
    public async Task Unreachable_member_is_unknown_and_the_resource_is_never_compliant()
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        members.Script("phi-db-2", v => MemberVerification.Unreachable(v.PodName, v.ObservedAt, "connection refused"));
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        await using var history = await StatusHistory.StartAsync(h.Client, ct);
        await h.CreateAsync(OperatorHarness.Sample(), ct);

        var resource = await OperatorHarness.EventuallyAsync(async () => Parse(await h.GetResourceAsync(ct)),
            r => r.Status?.Members?.Count == 3, "three members in status", ct);
        await h.PassAsync(ct); // a further pass changes nothing about it

        Assert.Equal(MemberHealth.Unknown, resource.Status!.Members!.Single(m => m.Name == "phi-db-2").Health);
        Assert.Equal(ComplianceState.Unknown, resource.Status.Compliance!.Compliant);
        Assert.Equal("False", Condition(resource, ConditionTypes.Ready)?.Status);
        Assert.Equal(2, resource.Status.ReadyMembers);
        var failed = await WaitEventAsync(h, EventReasons.VerificationFailed, "phi-db-2", ct);
        Assert.Contains("connection refused", failed.Message);
        Assert.DoesNotContain(ComplianceState.True, history.Compliance);
        Assert.Equal(1, failed.Count ?? 1);
    }

    [Fact(Timeout = 90_000)]
    public async Task Reconcile_with_no_verification_due_makes_zero_writes()
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitComplianceAsync(h, ComplianceState.True, ct);
        await h.PassAsync(ct); // settle the passes our own writes triggered
        var writesBefore = h.Server.AuditTrail.Writes.Count;
        var verificationsBefore = members.Verifications;

        var result = await h.PassAsync(ct);

        Assert.Empty(h.Server.AuditTrail.Writes.Skip(writesBefore).Select(w => $"{w.Verb} {w.Resource} {w.Name}"));
        Assert.Equal(verificationsBefore, members.Verifications);
        Assert.InRange(result.After!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)); // until the next verification
    }

    [Fact(Timeout = 90_000)]
    public async Task Restarted_operator_does_not_re_announce_a_failing_control()
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        members.Script("phi-db-1", v => v with
        {
            Uncorrectable = ["auditLog.filter differs from the rendered filter"],
            Parameters = v.Parameters! with { AuditFilter = "{}" }
        });
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        await h.CreateAsync(OperatorHarness.Sample(), ct);
        await WaitComplianceAsync(h, ComplianceState.False, ct);
        await WaitEventAsync(h, EventReasons.ControlFailed, "HIPAA-164.312(b)", ct);
        await WaitEventAsync(h, EventReasons.UncorrectableDrift, "phi-db-1", ct);
        var verifications = members.Verifications;

        await h.RestartOperatorAsync(ct);
        // The fresh operator reads the last verification and what was announced from the pass record: it does not
        // verify before the verification is due, and announces nothing again.
        await h.WaitForCachesAsync(ct);
        await h.PassAsync(ct);

        Assert.Equal(verifications, members.Verifications);
        var events = await h.EventsAsync(ct);
        var failed = Assert.Single(events, e => e.Reason == EventReasons.ControlFailed && e.Message.Contains("HIPAA-164.312(b)", StringComparison.Ordinal));
        Assert.Equal(1, failed.Count ?? 1);
        var uncorrectable = Assert.Single(events, e => e.Reason == EventReasons.UncorrectableDrift);
        Assert.Equal(1, uncorrectable.Count ?? 1);
    }

    [Fact(Timeout = 90_000)]
    public async Task Member_serving_an_older_certificate_than_its_secret_is_rotated_with_an_event()
    {
        var ct = TestContext.Current.CancellationToken;
        var members = new FakeMemberVerifier(TimeProvider.System);
        members.Script("phi-db-0", v => v with { TlsExpiry = v.TlsExpiry - TimeSpan.FromDays(30) });
        await using var h = await OperatorHarness.StartAsync(ct, members: members);
        await h.CreateAsync(OperatorHarness.Sample(), ct);

        var rotated = await WaitEventAsync(h, EventReasons.CertificateRotated, "phi-db-0", ct);

        Assert.Equal("Normal", rotated.Type);
        Assert.Contains("phi-db-0", members.Rotations);
        Assert.DoesNotContain("phi-db-1", members.Rotations);
        Assert.DoesNotContain("PRIVATE KEY", rotated.Message, StringComparison.Ordinal);
    }

    private static async Task<EvidenceRecord?> EvidenceAsync(OperatorHarness h, CancellationToken ct)
    {
        try
        {
            var map = await h.Client.CoreV1.ReadNamespacedConfigMapAsync(EvidenceRecord.ConfigMapName(OperatorHarness.Name),
                OperatorHarness.Namespace, cancellationToken: ct);
            return EvidenceRecordCodec.Deserialize(map.Data[EvidenceRecord.DataKey]);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static HipaaMongoResource Parse(JsonObject json) => KubernetesJson.Deserialize<HipaaMongoResource>(json.ToJsonString());

    private static k8s.Models.V1Condition? Condition(HipaaMongoResource r, string type) =>
        r.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    private static async Task<HipaaMongoResource> WaitComplianceAsync(OperatorHarness h, ComplianceState state, CancellationToken ct) =>
        await OperatorHarness.EventuallyAsync(async () => Parse(await h.GetResourceAsync(ct)),
            r => r.Status?.Compliance?.Compliant == state && r.Status.Members is not null, $"compliance {state}", ct);

    private static async Task<k8s.Models.Corev1Event> WaitEventAsync(OperatorHarness h, string reason, string text, CancellationToken ct)
    {
        var events = await OperatorHarness.EventuallyAsync(() => h.EventsAsync(ct),
            es => es.Any(e => e.Reason == reason && e.Message.Contains(text, StringComparison.Ordinal)), $"{reason} event naming {text}", ct);
        return events.First(e => e.Reason == reason && e.Message.Contains(text, StringComparison.Ordinal));
    }

    // Server-side printing as kubectl asks for it: the CRD's additionalPrinterColumns, cells as the API renders them.
    private static async Task<Dictionary<string, string>> TableRowAsync(OperatorHarness h, CancellationToken ct)
    {
        var config = h.Server.ClientConfiguration();
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                chain.ChainPolicy.CustomTrustStore.AddRange(config.SslCaCerts);
                return cert is not null && chain.Build(cert);
            },
        };
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get,
            $"{config.Host}/apis/{ApiGroup.Group}/{ApiGroup.Version}/namespaces/{OperatorHarness.Namespace}/{ApiGroup.Plural}/{OperatorHarness.Name}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var table = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        var names = table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        var cells = table["rows"]!.AsArray().Single()!["cells"]!.AsArray();
        return names.Select((n, i) => (n, cells[i]?.ToString() ?? "")).ToDictionary(x => x.n, x => x.Item2, StringComparer.Ordinal);
    }
}
