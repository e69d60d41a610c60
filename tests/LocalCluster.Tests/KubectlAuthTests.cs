using HipaaMongo.LocalCluster.Hosting;
using k8s;
using k8s.Models;

namespace HipaaMongo.LocalCluster.Tests;

/// <summary>
/// `kubectl auth can-i` posts a SelfSubjectAccessReview (protobuf) and prints "yes" (exit 0) or "no" (exit 1)
/// (kubectl/pkg/cmd/auth/cani.go). With RBAC off kube-apiserver's AlwaysAllow says yes to everything; with RBAC on
/// the answer follows the Roles and bindings (doc §18), and `--as` asks about someone else.
/// </summary>
public sealed class KubectlAuthTests
{
    static async Task<(LocalClusterServer Server, Kubectl Kubectl, string Dir)> StartAsync(bool rbac)
    {
        var dir = Path.Combine(Path.GetTempPath(), "lc-auth-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        var server = await LocalClusterServer.StartAsync(new LocalClusterOptions { KubeconfigPath = kubeconfig, EnableRbac = rbac });
        return (server, new Kubectl(kubeconfig, Path.Combine(dir, "cache")), dir);
    }

    [Fact]
    public async Task Without_rbac_everything_is_allowed()
    {
        var (server, k, dir) = await StartAsync(rbac: false);
        await using (server)
        {
            Assert.Equal("yes", (await k.OkAsync("auth", "can-i", "delete", "secrets", "-n", "default")).Trim());
            Assert.Equal("yes", (await k.OkAsync("auth", "can-i", "get", "pods", "--as=system:serviceaccount:ops:op")).Trim());
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task With_rbac_the_answer_follows_roles_and_bindings()
    {
        var (server, k, dir) = await StartAsync(rbac: true);
        await using (server)
        {
            const string As = "--as=system:serviceaccount:ops:op";
            Assert.Equal("yes", (await k.OkAsync("auth", "can-i", "delete", "secrets", "-n", "default")).Trim());
            var before = await k.RunAsync("auth", "can-i", "get", "configmaps", "-n", "default", As);
            Assert.Equal((1, "no"), (before.ExitCode, before.Stdout.Trim()));

            await k.OkAsync("create", "role", "cm-reader", "--verb=get,list", "--resource=configmaps", "-n", "default");
            await k.OkAsync("create", "rolebinding", "op-reads", "--role=cm-reader", "--serviceaccount=ops:op", "-n", "default");

            Assert.Equal("yes", (await k.OkAsync("auth", "can-i", "get", "configmaps", "-n", "default", As)).Trim());
            var delete = await k.RunAsync("auth", "can-i", "delete", "configmaps", "-n", "default", As);
            Assert.Equal((1, "no"), (delete.ExitCode, delete.Stdout.Trim()));
            var otherNamespace = await k.RunAsync("auth", "can-i", "get", "configmaps", "-n", "kube-system", As);
            Assert.Equal((1, "no"), (otherNamespace.ExitCode, otherNamespace.Stdout.Trim()));
            var nonResource = await k.RunAsync("auth", "can-i", "get", "/healthz", As);
            Assert.Equal((1, "no"), (nonResource.ExitCode, nonResource.Stdout.Trim()));
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task A_service_account_may_not_review_others_without_permission()
    {
        var (server, _, dir) = await StartAsync(rbac: true);
        await using (server)
        {
            using var op = new Kubernetes(server.ClientConfiguration(server.ServiceAccountToken("ops", "op")));
            var review = new V1SubjectAccessReview
            {
                Spec = new V1SubjectAccessReviewSpec
                {
                    User = "bob",
                    ResourceAttributes = new V1ResourceAttributes { Verb = "get", Resource = "pods", NamespaceProperty = "default" },
                },
            };
            var e = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() => op.AuthorizationV1.CreateSubjectAccessReviewAsync(review));
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, e.Response.StatusCode);
            // Asking about oneself is always allowed (system:basic-user).
            var self = await op.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
            {
                Spec = new V1SelfSubjectAccessReviewSpec
                {
                    ResourceAttributes = new V1ResourceAttributes { Verb = "get", Resource = "pods", NamespaceProperty = "default" },
                },
            });
            Assert.False(self.Status.Allowed);
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task Create_token_issues_a_token_that_rbac_then_authorizes()
    {
        var (server, k, dir) = await StartAsync(rbac: true);
        await using (server)
        {
            await k.OkAsync("create", "namespace", "ops");
            await k.OkAsync("create", "serviceaccount", "op", "-n", "ops");
            var token = (await k.OkAsync("create", "token", "op", "-n", "ops", "--duration=1h")).Trim();
            Assert.NotEmpty(token);
            var denied = await k.RunAsync("get", "configmaps", "-n", "default", "--token=" + token);
            Assert.Contains("User \"system:serviceaccount:ops:op\" cannot list resource \"configmaps\" in API group \"\" in the namespace \"default\"", denied.Stderr, StringComparison.Ordinal);

            await k.OkAsync("create", "role", "cm-reader", "--verb=list", "--resource=configmaps", "-n", "default");
            await k.OkAsync("create", "rolebinding", "op-reads", "--role=cm-reader", "--serviceaccount=ops:op", "-n", "default");
            Assert.Equal(0, (await k.RunAsync("get", "configmaps", "-n", "default", "--token=" + token)).ExitCode);

            var tooShort = await k.RunAsync("create", "token", "op", "-n", "ops", "--duration=1m");
            Assert.Contains("spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes", tooShort.Stderr, StringComparison.Ordinal);
            var missing = await k.RunAsync("create", "token", "nope", "-n", "ops");
            Assert.Contains("serviceaccounts \"nope\" not found", missing.Stderr, StringComparison.Ordinal);
        }
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task A_token_review_names_the_user_of_a_created_token_and_needs_create_on_tokenreviews()
    {
        var (server, k, dir) = await StartAsync(rbac: true);
        await using (server)
        {
            await k.OkAsync("create", "namespace", "ops");
            await k.OkAsync("create", "serviceaccount", "op", "-n", "ops");
            var token = (await k.OkAsync("create", "token", "op", "-n", "ops")).Trim();
            using var admin = server.CreateClient();
            var ct = TestContext.Current.CancellationToken;

            var known = await admin.AuthenticationV1.CreateTokenReviewAsync(Review(token), cancellationToken: ct);
            Assert.True(known.Status.Authenticated);
            Assert.Equal("system:serviceaccount:ops:op", known.Status.User.Username);
            Assert.Contains("system:serviceaccounts:ops", known.Status.User.Groups);
            var unknown = await admin.AuthenticationV1.CreateTokenReviewAsync(Review("not-a-token"), cancellationToken: ct);
            Assert.False(unknown.Status.Authenticated);
            Assert.Null(unknown.Status.User);
            var empty = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(
                () => admin.AuthenticationV1.CreateTokenReviewAsync(Review(""), cancellationToken: ct));
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, empty.Response.StatusCode);

            // Reviewing tokens is itself a grant (system:auth-delegator has it); the service account lacks it.
            using var op = new Kubernetes(server.ClientConfiguration(token));
            var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(
                () => op.AuthenticationV1.CreateTokenReviewAsync(Review(token), cancellationToken: ct));
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.Response.StatusCode);
            // As a YAML rule (kubectl create clusterrole checks names against discovery, which lists no review kinds here).
            await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
            {
                Metadata = new V1ObjectMeta { Name = "reviewer" },
                Rules = [new V1PolicyRule { ApiGroups = ["authentication.k8s.io"], Resources = ["tokenreviews"], Verbs = ["create"] }],
            }, cancellationToken: ct);
            await k.OkAsync("create", "clusterrolebinding", "op-reviews", "--clusterrole=reviewer", "--serviceaccount=ops:op");
            Assert.True((await op.AuthenticationV1.CreateTokenReviewAsync(Review(token), cancellationToken: ct)).Status.Authenticated);
        }
        Directory.Delete(dir, recursive: true);
    }

    static V1TokenReview Review(string token) => new() { Spec = new V1TokenReviewSpec { Token = token } };
}
