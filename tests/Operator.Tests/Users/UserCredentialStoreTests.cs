using System.Text;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Tests.Reconciliation;
using HipaaMongo.Operator.Users;
using k8s;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Users;

/// <summary>A user's credential Secret is replaced only when that user owns it; someone else's of the same name is left alone.</summary>
[Trait(Tier.Name, Tier.LocalCluster)]
public sealed class UserCredentialStoreTests
{
    private static HipaaMongoUserResource User(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = OperatorHarness.Namespace, Uid = Guid.NewGuid().ToString() },
        Spec = new HipaaMongoUserSpec { HipaaMongoRef = new LocalObjectReference { Name = OperatorHarness.Name } },
    };

    private static V1Secret Existing(string name, V1OwnerReference? owner) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, OwnerReferences = owner is null ? null : [owner] },
        Data = new Dictionary<string, byte[]> { ["password"] = Encoding.UTF8.GetBytes("someone-elses") },
    };

    [Fact(Timeout = 60_000)]
    public async Task A_foreign_secret_of_the_same_name_is_never_overwritten_and_an_owned_one_is_replaced()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await OperatorHarness.StartAsync(ct);
        var store = new UserCredentialStore(h.Client);
        var foreign = User("alice");
        var owned = User("bob");
        await h.Client.CoreV1.CreateNamespacedSecretAsync(Existing(UserCredentialStore.SecretName(foreign), null), OperatorHarness.Namespace, cancellationToken: ct);
        await h.Client.CoreV1.CreateNamespacedSecretAsync(Existing(UserCredentialStore.SecretName(owned), new V1OwnerReference
        {
            ApiVersion = ApiGroup.ApiVersion,
            Kind = UserApiGroup.Kind,
            Name = "bob",
            Uid = owned.Metadata.Uid,
            Controller = true,
        }), OperatorHarness.Namespace, cancellationToken: ct);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteScramAsync(foreign, "alice-1", "new-password", "mongodb://x", "ca", ct));
        await store.WriteScramAsync(owned, "bob-1", "new-password", "mongodb://x", "ca", ct);

        Assert.Contains("not owned by HipaaMongoUser alice", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("someone-elses", refused.Message, StringComparison.Ordinal);
        var kept = await h.Client.CoreV1.ReadNamespacedSecretAsync(UserCredentialStore.SecretName(foreign), OperatorHarness.Namespace, cancellationToken: ct);
        Assert.Equal("someone-elses", Encoding.UTF8.GetString(kept.Data["password"]));
        var replaced = await h.Client.CoreV1.ReadNamespacedSecretAsync(UserCredentialStore.SecretName(owned), OperatorHarness.Namespace, cancellationToken: ct);
        Assert.Equal("new-password", Encoding.UTF8.GetString(replaced.Data["password"]));
    }
}
