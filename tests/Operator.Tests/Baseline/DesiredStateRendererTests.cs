using System.Text.Json.Nodes;
using HipaaMongo.Operator.Baseline;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Baseline;

public class DesiredStateRendererTests
{
    [Fact]
    public void Without_an_issuer_a_namespaced_ca_chain_signs_the_member_certificate()
    {
        var state = DesiredStateRenderer.Render(Models.Minimal());
        var selfSigned = Spec(state, "Issuer", "phi-db-selfsigned");
        Assert.NotNull(selfSigned["selfSigned"]);
        var ca = Spec(state, "Certificate", "phi-db-ca");
        Assert.True(ca["isCA"]!.GetValue<bool>());
        Assert.Equal("phi-db-selfsigned", ca["issuerRef"]!["name"]!.GetValue<string>());
        Assert.Equal(ca["secretName"]!.GetValue<string>(), Spec(state, "Issuer", "phi-db-ca")["ca"]!["secretName"]!.GetValue<string>());
        Assert.Equal("phi-db-ca", Spec(state, "Certificate", "phi-db-member")["issuerRef"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void With_an_issuer_no_issuers_are_rendered_and_every_certificate_uses_it()
    {
        var model = Models.Minimal() with { Tls = new TlsModel { IssuerRef = new IssuerRefModel("corp-ca", "ClusterIssuer") } };
        var state = DesiredStateRenderer.Render(model);
        Assert.DoesNotContain(state.OfType<CertManagerObject>(), o => o.Kind == "Issuer");
        var certs = state.OfType<CertManagerObject>().Where(o => o.Kind == "Certificate").ToList();
        Assert.Equal("phi-db-member", Assert.Single(certs).Metadata.Name); // (the KMIP client comes from a Secret here)
        Assert.All(certs, c => Assert.Equal("ClusterIssuer", c.Spec["issuerRef"]!["kind"]!.GetValue<string>()));
    }

    [Fact]
    public void No_Certificate_is_rendered_for_the_operator_or_the_verifier_whose_Secret_would_hold_a_key_that_acts_as_them()
    {
        // Their identities come from CertificateRequests over keys in the operator's memory (docs/install.md).
        var certs = DesiredStateRenderer.Render(Models.Minimal()).OfType<CertManagerObject>().Where(o => o.Kind == "Certificate").ToList();
        Assert.DoesNotContain(certs, c => c.Spec["commonName"]?.GetValue<string>() is "hipaa-mongo-operator" or "hipaa-mongo-verifier");
        Assert.Equal(["phi-db-ca", "phi-db-member"], certs.Select(c => c.Metadata.Name).Order());
    }

    [Fact]
    public void A_kmip_issuer_yields_a_kmip_client_certificate_mounted_whole()
    {
        var model = Models.Minimal() with
        {
            Kmip = Models.Minimal().Kmip with { ClientIssuerRef = new IssuerRefModel("kmip-issuer"), ClientSecret = null },
        };
        var state = DesiredStateRenderer.Render(model);
        var kmip = Spec(state, "Certificate", "phi-db-kmip-client");
        Assert.Equal("kmip-issuer", kmip["issuerRef"]!["name"]!.GetValue<string>());
        Assert.Equal("[\"digital signature\",\"key encipherment\",\"client auth\"]", kmip["usages"]!.ToJsonString());
        var pod = state.OfType<V1StatefulSet>().Single().Spec.Template.Spec;
        Assert.Equal("phi-db-kmip-client-tls", pod.Volumes.Single(v => v.Name == "kmip-client").Secret.SecretName);
        Assert.DoesNotContain("kmip-src", pod.InitContainers.Single().Command[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Member_certificate_is_rotated_with_a_fresh_key_and_has_its_own_ou()
    {
        var member = Spec(DesiredStateRenderer.Render(Models.Minimal()), "Certificate", "phi-db-member");
        Assert.Equal("Always", member["privateKey"]!["rotationPolicy"]!.GetValue<string>());
        Assert.Equal("[\"mongodb-phi-db-member\"]", member["subject"]!["organizationalUnits"]!.ToJsonString());
        Assert.Contains("phi-db-2.phi-db-hs", member["dnsNames"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("phi-db-3.", member["dnsNames"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Services_and_budget_have_the_documented_shape()
    {
        var state = DesiredStateRenderer.Render(Models.Minimal());
        var headless = state.OfType<V1Service>().Single(s => s.Metadata.Name == "phi-db-hs");
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.True(headless.Spec.PublishNotReadyAddresses);
        var sts = state.OfType<V1StatefulSet>().Single();
        Assert.Equal("phi-db-hs", sts.Spec.ServiceName);
        Assert.Equal("1", state.OfType<V1PodDisruptionBudget>().Single().Spec.MaxUnavailable.Value);
        Assert.Equal("50Gi", sts.Spec.VolumeClaimTemplates.Single().Spec.Resources.Requests["storage"].ToString());
        Assert.Equal("Retain", sts.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted);
    }

    [Fact]
    public void Ip_addressed_servers_are_fenced_to_their_address_and_ldap_gets_its_own_egress()
    {
        var model = Models.WithLdap() with
        {
            Kmip = Models.Minimal().Kmip with { Servers = [new HostPort("10.1.2.3", 5696), new HostPort("10.1.2.4", 5696)] },
        };
        var policies = DesiredStateRenderer.Render(model).OfType<V1NetworkPolicy>().ToDictionary(p => p.Metadata.Name);
        var kmip = policies["phi-db-egress-kmip"].Spec.Egress.Single();
        Assert.Equal(["10.1.2.3/32", "10.1.2.4/32"], kmip.To.Select(t => t.IpBlock.Cidr));
        Assert.Equal("636", policies["phi-db-egress-ldap"].Spec.Egress.Single().Ports.Single().Port.Value);
        Assert.DoesNotContain("phi-db-clients", policies.Keys);
    }

    [Fact]
    public void A_config_change_changes_the_pod_template_so_members_roll()
    {
        static string Hash(BaselineModel m) => DesiredStateRenderer.Render(m).OfType<V1StatefulSet>().Single()
            .Spec.Template.Metadata.Annotations["hipaa.mongooperator.io/config-hash"];
        var phi = Models.Minimal() with { Audit = new AuditModel { Tier = AuditTier.PhiAccess, PhiNamespaces = ["patients"] } };
        Assert.NotEqual(Hash(Models.Minimal()), Hash(phi));
        Assert.Equal(Hash(Models.Minimal()), Hash(Models.Minimal()));
    }

    [Fact]
    public void The_ldap_password_is_a_mounted_file_never_config_or_environment()
    {
        var state = DesiredStateRenderer.Render(Models.WithLdap());
        var mongod = state.OfType<V1StatefulSet>().Single().Spec.Template.Spec.Containers.Single();
        Assert.Contains("--configExpand", mongod.Args);
        Assert.DoesNotContain(mongod.Env ?? [], e => e.ValueFrom?.SecretKeyRef is not null);
        Assert.Contains(mongod.VolumeMounts, m => m.MountPath == MountPaths.LdapBindDir && m.ReadOnlyProperty == true);
    }

    private static JsonObject Spec(DesiredState state, string kind, string name) =>
        ((CertManagerObject)state.Get(kind, name)).Spec;
}
