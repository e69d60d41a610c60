using System.Text.Json.Nodes;
using HipaaMongo.Operator.Baseline;
using static HipaaMongo.Operator.Tests.Drift.DriftFixture;

namespace HipaaMongo.Operator.Tests.Drift;

/// <summary>
/// The rendered install (config/default) grants least privilege: no wildcards, no pods/exec, Secret writes
/// only for user credentials (without reads), Leases only in the operator's namespace, and yet every verb the reconciler needs
/// on every kind the baseline renders.
/// </summary>
public class ConfigRbacTests
{
    private const string SystemNs = "hipaa-mongo-system";

    private static readonly string[] WriteVerbs = ["create", "update", "patch", "delete", "deletecollection"];

    private static IEnumerable<(string Role, JsonObject Rule)> Rules(string kind) =>
        KustomizeRender.OfKind(kind).SelectMany(r => (r["rules"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(rule => (Name(r), rule)));

    [Fact]
    public void No_rule_uses_a_wildcard_or_grants_exec()
    {
        var rules = Rules("ClusterRole").Concat(Rules("Role")).ToList();
        Assert.NotEmpty(rules);
        foreach (var (role, rule) in rules)
        {
            foreach (var field in new[] { "apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs" })
            {
                Assert.DoesNotContain(Strings(rule[field]), s => s.Contains('*'));
            }

            Assert.DoesNotContain(Strings(rule["resources"]), r => r is "pods/exec" or "pods/attach" or "pods/portforward");
            Assert.True(Strings(rule["verbs"]).Any(), $"{role} has a rule without verbs");
        }
    }

    [Fact]
    public void Secrets_are_read_by_name_and_written_only_for_user_credentials_never_listed_or_watched()
    {
        // A SCRAM HipaaMongoUser's generated password lives in a Secret it owns, so the manager creates and replaces
        // Secrets; no rule lists or watches them, and none patches (a patch answers with the whole object) or deletes
        // them (the garbage collector removes a user's Secret with its owner).
        var secretRules = Rules("ClusterRole").Concat(Rules("Role")).Where(x => Strings(x.Rule["resources"]).Contains("secrets")).ToList();
        Assert.NotEmpty(secretRules);
        Assert.All(secretRules, x => Assert.Contains(string.Join(",", Strings(x.Rule["verbs"]).Order()),
            new[] { "get", "create,update" }));
        Assert.Single(secretRules, x => Strings(x.Rule["verbs"]).Contains("create"));
    }

    [Fact]
    public void CertificateRequests_are_created_read_by_name_and_deleted_never_listed_watched_or_changed()
    {
        // The operator's client identities come from CertificateRequests it makes and reads back by name; their spec
        // is immutable and their status is cert-manager's to write.
        var rules = Rules("ClusterRole").Concat(Rules("Role")).Where(x => Strings(x.Rule["resources"]).Contains("certificaterequests")).ToList();
        var rule = Assert.Single(rules);
        Assert.Equal(["cert-manager.io"], Strings(rule.Rule["apiGroups"]));
        Assert.Equal("create,delete,get", string.Join(",", Strings(rule.Rule["verbs"]).Order()));
    }

    [Fact]
    public void The_certificate_status_is_only_updated_to_reissue_as_cmctl_renew_does()
    {
        // After a CA change the member certificate is re-issued with Issuing=True (ManuallyTriggered) on its status:
        // update on certificates/status, nothing more (docs/certificates.md).
        var rules = Rules("ClusterRole").Concat(Rules("Role")).Where(x => Strings(x.Rule["resources"]).Contains("certificates/status")).ToList();
        var rule = Assert.Single(rules);
        Assert.Equal(["cert-manager.io"], Strings(rule.Rule["apiGroups"]));
        Assert.Equal(["certificates/status"], Strings(rule.Rule["resources"]));
        Assert.Equal(["update"], Strings(rule.Rule["verbs"]));
    }

    [Fact]
    public void Leases_are_granted_only_in_the_operator_namespace()
    {
        Assert.DoesNotContain(Rules("ClusterRole"), x => Strings(x.Rule["resources"]).Contains("leases"));
        var role = KustomizeRender.OfKind("Role").Single(r => Strings(r["rules"]![0]!["resources"]).Contains("leases"));
        Assert.Equal(SystemNs, role["metadata"]!["namespace"]!.GetValue<string>());
    }

    [Fact]
    public void Pods_are_observed_and_only_deleted_never_created_or_changed()
    {
        // A rollout deletes one member pod at a time so the StatefulSet (OnDelete) creates it again (docs/rollouts.md);
        // no pod is ever created, patched or exec'd into by the operator.
        var podRules = Rules("ClusterRole").Where(x => Strings(x.Rule["resources"]).Contains("pods")).ToList();
        Assert.NotEmpty(podRules);
        Assert.All(podRules, x => Assert.Equal(["delete"], Strings(x.Rule["verbs"]).Intersect(WriteVerbs)));
        Assert.DoesNotContain(Rules("ClusterRole"), x => Strings(x.Rule["resources"]).Any(r => r is "pods/exec" or "pods/log" or "pods/attach"));
    }

    [Fact]
    public void Data_claims_are_patched_for_handover_but_never_deleted_or_created()
    {
        var claimRules = Rules("ClusterRole").Where(x => Strings(x.Rule["resources"]).Contains("persistentvolumeclaims")).ToList();
        Assert.NotEmpty(claimRules);
        var verbs = claimRules.SelectMany(x => Strings(x.Rule["verbs"])).ToHashSet();
        Assert.Contains("list", verbs);
        Assert.Contains("patch", verbs);
        Assert.DoesNotContain("delete", verbs);
        Assert.DoesNotContain("deletecollection", verbs);
        Assert.DoesNotContain("create", verbs);
    }

    [Fact]
    public void Every_kind_the_baseline_renders_can_be_reconciled()
    {
        var kinds = Render().Objects.Select(o => (Group(o.ApiVersion), Plural(o.Kind))).Distinct()
            .Append(("hipaa.mongooperator.io", "hipaamongos")).Append(("hipaa.mongooperator.io", "hipaamongousers"));
        foreach (var (group, resource) in kinds)
        {
            var verbs = Rules("ClusterRole")
                .Where(x => Strings(x.Rule["apiGroups"]).Contains(group) && Strings(x.Rule["resources"]).Contains(resource))
                .SelectMany(x => Strings(x.Rule["verbs"])).ToHashSet();
            Assert.True(new[] { "get", "list", "watch", "patch" }.All(verbs.Contains), $"{group}/{resource}: {string.Join(",", verbs)}");
        }
    }

    [Fact]
    public void Every_binding_names_the_operator_service_account_in_its_namespace()
    {
        var account = Assert.Single(KustomizeRender.OfKind("ServiceAccount"));
        Assert.Equal(SystemNs, account["metadata"]!["namespace"]!.GetValue<string>());
        var bindings = KustomizeRender.OfKind("ClusterRoleBinding").Concat(KustomizeRender.OfKind("RoleBinding")).ToList();
        Assert.NotEmpty(bindings);
        foreach (var subject in bindings.SelectMany(b => b["subjects"]!.AsArray()))
        {
            Assert.Equal((Name(account), SystemNs), (subject!["name"]!.GetValue<string>(), subject["namespace"]!.GetValue<string>()));
        }
    }

    [Fact]
    public void The_manager_runs_restricted_with_probes_and_the_label_our_policies_admit()
    {
        var deployment = Assert.Single(KustomizeRender.OfKind("Deployment"));
        Assert.Equal(SystemNs, deployment["metadata"]!["namespace"]!.GetValue<string>());
        var template = deployment["spec"]!["template"]!;
        var (key, value) = Labels.OperatorPods().Single();
        Assert.Equal(value, template["metadata"]!["labels"]![key]!.GetValue<string>());
        Assert.Equal(Name(Assert.Single(KustomizeRender.OfKind("ServiceAccount"))), template["spec"]!["serviceAccountName"]!.GetValue<string>());

        var container = template["spec"]!["containers"]!.AsArray().Single()!;
        Assert.StartsWith("hipaa-mongo", container["image"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/readyz", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());

        // Pod Security Standards, restricted profile.
        var sc = container["securityContext"]!;
        Assert.False(sc["allowPrivilegeEscalation"]!.GetValue<bool>());
        Assert.True(sc["runAsNonRoot"]!.GetValue<bool>());
        Assert.Equal(["ALL"], Strings(sc["capabilities"]!["drop"]));
        Assert.Equal("RuntimeDefault", sc["seccompProfile"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public void The_install_carries_the_crd_and_the_system_namespace()
    {
        Assert.Contains(KustomizeRender.OfKind("CustomResourceDefinition"), c => Name(c) == "hipaamongos.hipaa.mongooperator.io");
        Assert.Contains(KustomizeRender.OfKind("Namespace"), n => Name(n) == SystemNs);
    }

    private static string Name(JsonNode o) => o["metadata"]!["name"]!.GetValue<string>();

    private static IEnumerable<string> Strings(JsonNode? array) =>
        (array as JsonArray ?? []).Select(n => n!.GetValue<string>());

    private static string Group(string apiVersion) => apiVersion.Contains('/') ? apiVersion.Split('/')[0] : "";

    private static string Plural(string kind)
    {
        var lower = kind.ToLowerInvariant();
        return lower.EndsWith('y') ? lower[..^1] + "ies" : lower + "s";
    }
}
