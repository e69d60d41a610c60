using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace HipaaMongo.Entities.Tests.Serialization;

public class StatusJsonTests
{
    [Fact]
    public void Status_serialises_with_kubernetes_field_names_and_string_enums()
    {
        var at = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var resource = new HipaaMongoResource
        {
            Metadata = new V1ObjectMeta { Name = "rs0" },
            Spec = Specs.Valid(),
            Status = new HipaaMongoStatus
            {
                ObservedGeneration = 4,
                Conditions = [new V1Condition { Type = ConditionTypes.Ready, Status = "True", Reason = ConditionReasons.Verified, Message = "", LastTransitionTime = at }],
                Members = [new MemberStatus { Name = "rs0-0", Role = MemberRole.Primary, Health = MemberHealth.Healthy, VerifiedAt = at, Drift = ["tlsMode"] }],
                TlsExpiresAt = at,
                Compliance = new ComplianceSummary { Compliant = ComplianceState.False, Passed = 9, Total = 10, Failing = ["164.312(b)-audit-filter"] },
            },
        };

        var json = JsonNode.Parse(KubernetesJson.Serialize(resource))!;
        var status = json["status"]!;

        Assert.Equal("hipaa.mongooperator.io/v1alpha1", (string?)json["apiVersion"]);
        Assert.Equal(4, (long)status["observedGeneration"]!);
        Assert.Equal("Ready", (string?)status["conditions"]![0]!["type"]);
        Assert.StartsWith("2026-01-02T03:04:05", (string?)status["conditions"]![0]!["lastTransitionTime"]);
        Assert.Equal("Primary", (string?)status["members"]![0]!["role"]);
        Assert.Equal("Healthy", (string?)status["members"]![0]!["health"]);
        Assert.Equal("False", (string?)status["compliance"]!["compliant"]);
        Assert.Equal("Enterprise", (string?)json["spec"]!["edition"]);
        Assert.Equal("Retain", (string?)json["spec"]!["deletionPolicy"]);
        Assert.Equal(KubernetesJson.Serialize(resource), KubernetesJson.Serialize(KubernetesJson.Deserialize<HipaaMongoResource>(json.ToJsonString())));
    }

    [Fact]
    public void Condition_types_and_reasons_follow_the_metav1_condition_rules()
    {
        Assert.Equal(["Ready", "Reconciling", "Stalled", "TLSEnforced", "EncryptedAtRest", "AuditLogging", "NetworkIsolated", "Authentication", "KeyManagementReachable", "CertificateAuthority", "DirectoryReachable"], ConditionTypes.All);
        var reasonPattern = new System.Text.RegularExpressions.Regex("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");
        Assert.All(ConditionReasons.All, r => Assert.Matches(reasonPattern, r));
        Assert.Equal(ConditionReasons.All.Count, ConditionReasons.All.Distinct().Count());
    }
}
