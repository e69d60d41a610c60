using HipaaMongo.Entities;
using HipaaMongo.Operator.Members.Analysis;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Members.Analysis;

/// <summary>Which accounts a set declares beyond the operator's own: its HipaaMongoUsers and spec.roles.</summary>
public sealed class DeclaredAccountsTests
{
    private static HipaaMongoResource Cluster(string ns = "clinical", string name = "phi-db") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new HipaaMongoSpec { Roles = [new CustomRoleSpec { Name = "patientsReader", Db = "patients" }] },
    };

    private static HipaaMongoUserResource User(string name, string cluster, string ns = "clinical", HipaaMongoUserStatus? status = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new HipaaMongoUserSpec { HipaaMongoRef = new LocalObjectReference { Name = cluster } },
        Status = status,
    };

    [Fact]
    public void A_set_declares_its_own_users_current_and_retiring_versions_and_nothing_of_other_sets()
    {
        var users = new[]
        {
            User("physicians", "phi-db", status: new HipaaMongoUserStatus
            {
                Username = "physicians-2", Database = "admin", Retiring = [new RetiringUser { Username = "physicians-1" }],
            }),
            User("nurse", "phi-db", status: new HipaaMongoUserStatus { Username = "CN=nurse,O=hipaa-mongo", Database = "$external" }),
            User("pending", "phi-db"), // not created in mongod yet
            User("billing", "other-db", status: new HipaaMongoUserStatus { Username = "billing-1", Database = "admin" }),
            User("elsewhere", "phi-db", ns: "research", status: new HipaaMongoUserStatus { Username = "elsewhere-1", Database = "admin" }),
        };

        Assert.Equal(["$external.CN=nurse,O=hipaa-mongo", "admin.physicians-1", "admin.physicians-2"], DeclaredAccounts.Users(Cluster(), users));
        Assert.Equal(["patients.patientsReader"], DeclaredAccounts.Roles(Cluster()));
    }
}
