using System.Text.Json;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Users.Journal;
using HipaaMongo.Operator.Users.Planning;
using k8s.Models;

namespace HipaaMongo.Operator.Tests.Users;

/// <summary>
/// Who asked for each access change, read from managedFields as the API server writes them (fieldsV1 in the
/// "FieldsV1" format: f:-prefixed field names, k8s.io/apimachinery/pkg/apis/meta/v1 types.go ManagedFieldsEntry).
/// </summary>
public sealed class AccessJournalTests
{
    private static readonly DateTime SpecAt = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime AnnotatedAt = new(2026, 12, 7, 10, 0, 0, DateTimeKind.Utc);
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 11, 0, 0, TimeSpan.Zero);

    private static V1ManagedFieldsEntry Entry(string manager, DateTime at, string fields, string? subresource = null) => new()
    {
        Manager = manager,
        Operation = "Update",
        Time = at,
        FieldsType = "FieldsV1",
        FieldsV1 = JsonSerializer.Deserialize<JsonElement>(fields),
        Subresource = subresource,
    };

    private static HipaaMongoUserResource User()
    {
        var user = UserPlannerTests.Scram("billing", ("read", "patients"));
        user.Metadata.ManagedFields =
        [
            Entry("kubectl-client-side-apply", SpecAt, """{"f:spec":{"f:roles":{}}}"""),
            Entry("hipaa-mongo-operator", Now.UtcDateTime, """{"f:status":{"f:version":{}}}""", "status"),
            Entry("kubectl-annotate", AnnotatedAt, """{"f:metadata":{"f:annotations":{"f:hipaa.mongooperator.io/rotate":{}}}}"""),
        ];
        user.Status = new HipaaMongoUserStatus { RolesInEffect = ["read@patients"] };
        return user;
    }

    private static readonly HipaaMongoResource Cluster = new() { Metadata = new V1ObjectMeta { Name = "phi-db", NamespaceProperty = "clinical" } };

    [Fact]
    public void A_declared_create_or_grant_is_asked_by_the_last_spec_writer_and_a_requested_rotation_by_the_annotation_writer()
    {
        var user = User();
        var read = new RoleName("read", "patients");
        Assert.Equal(("kubectl-client-side-apply (Update)", (DateTimeOffset?)SpecAt), AccessJournal.Requester(user, new CreateUserOp("admin", "billing-1", [read], true, "declared")));
        Assert.Equal("kubectl-client-side-apply (Update)", AccessJournal.Requester(user, new GrantRolesOp("admin", "billing-1", [read])).By);
        Assert.Equal(("kubectl-annotate (Update)", (DateTimeOffset?)AnnotatedAt),
            AccessJournal.Requester(user, new CreateUserOp("admin", "billing-2", [read], true, "rotation requested (hipaa.mongooperator.io/rotate=x)")));
    }

    [Fact]
    public void A_revoke_of_a_declared_role_follows_the_spec_and_one_of_an_out_of_band_grant_or_an_expiry_is_the_operators_policy()
    {
        var user = User();
        Assert.Equal("kubectl-client-side-apply (Update)",
            AccessJournal.Requester(user, new RevokeRolesOp("admin", "billing-1", [new RoleName("read", "patients")], "granted out of band; not declared")).By);
        var outOfBand = AccessJournal.Requester(user, new RevokeRolesOp("admin", "billing-1", [new RoleName("readWrite", "patients")], "granted out of band; not declared"));
        Assert.Equal("hipaa-mongo-operator (policy: granted out of band; not declared)", outOfBand.By);
        Assert.Null(outOfBand.At);
        Assert.StartsWith("hipaa-mongo-operator (policy: replaced by a rotation",
            AccessJournal.Requester(user, new DropUserOp("admin", "billing-1", "replaced by a rotation; its grace period ended")).By, StringComparison.Ordinal);
    }

    [Fact]
    public void A_drop_on_deletion_names_the_deletion_and_says_managedFields_cannot_name_who()
    {
        var user = User();
        user.Metadata.DeletionTimestamp = Now.UtcDateTime;
        var (by, at) = AccessJournal.Requester(user, new DropUserOp("admin", "billing-1", "its HipaaMongoUser was deleted (reclaimPolicy Delete)"));
        Assert.StartsWith("deletion of HipaaMongoUser clinical/billing", by, StringComparison.Ordinal);
        Assert.Equal(Now, at);
    }

    [Fact]
    public void The_journal_keeps_the_newest_entries_and_an_unreadable_one_reads_as_empty()
    {
        var user = User();
        var many = Enumerable.Range(0, AccessJournal.MaxEntries + 5)
            .Select(i => AccessJournal.Entry(user, Cluster, new GrantRolesOp("admin", $"billing-{i}", [new RoleName("read", "patients")]), Now.AddMinutes(i)))
            .ToList();
        var kept = AccessJournal.Deserialize(AccessJournal.Serialize(AccessJournal.Append([], many)));
        Assert.Equal(AccessJournal.MaxEntries, kept.Count);
        Assert.Equal(many[^1], kept[^1]);
        Assert.Equal(many[5], kept[0]);
        Assert.Empty(AccessJournal.Deserialize("{not json"));
    }
}
