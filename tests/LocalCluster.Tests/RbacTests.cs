using System.Net;
using System.Text.Json.Nodes;
using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>RBAC when switched on (doc §18): Role rules via bindings, the real 403 body, SubjectAccessReview.</summary>
public sealed class RbacTests
{
    static async Task GrantConfigMapReadAsync(Kubernetes admin)
    {
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "cm-reader" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["get", "list", "watch"] }],
        }, "default");
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "op-reads" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "cm-reader" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "op", NamespaceProperty = "ops" }],
        }, "default");
    }

    [Fact]
    public async Task A_service_account_may_do_what_its_role_allows_and_gets_the_real_403_otherwise()
    {
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { EnableRbac = true });
        using var admin = server.CreateClient();
        await GrantConfigMapReadAsync(admin);
        using var op = new Kubernetes(server.ClientConfiguration(server.ServiceAccountToken("ops", "op")));

        var list = await op.CoreV1.ListNamespacedConfigMapAsync("default");
        Assert.Empty(list.Items);

        var e = await Assert.ThrowsAsync<HttpOperationException>(() => op.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, "default"));
        Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);
        var status = JsonNode.Parse(e.Response.Content)!;
        Assert.Equal("Forbidden", (string?)status["reason"]);
        Assert.Equal("configmaps is forbidden: User \"system:serviceaccount:ops:op\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\"",
            (string?)status["message"]);

        var other = await Assert.ThrowsAsync<HttpOperationException>(() => op.CoreV1.ListNamespacedConfigMapAsync("kube-system"));
        Assert.Equal(HttpStatusCode.Forbidden, other.Response.StatusCode);
    }

    [Fact]
    public async Task Subject_access_review_answers_for_the_given_user()
    {
        await using var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { EnableRbac = true });
        using var admin = server.CreateClient();
        await GrantConfigMapReadAsync(admin);
        async Task<bool> CanAsync(string verb)
        {
            var review = await admin.AuthorizationV1.CreateSubjectAccessReviewAsync(new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = "system:serviceaccount:ops:op",
                    ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = "default", Verb = verb, Group = "", Resource = "configmaps" },
                },
            });
            return review.Status.Allowed;
        }
        Assert.True(await CanAsync("get"));
        Assert.False(await CanAsync("delete"));
    }
}
