using HipaaMongo.Operator.Members.Bootstrap;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Tests.Members;

/// <summary>Whether a role as rolesInfo shows it grants what the render does: whole sets of grants, not lists.</summary>
public class MemberRolesTests
{
    private static BsonDocument Found(BsonArray privileges, BsonArray? roles = null) => new()
    {
        { "role", MemberRoles.OperatorRole }, { "db", "admin" }, { "privileges", privileges }, { "roles", roles ?? [] },
    };

    [Fact]
    public void The_same_grants_in_another_order_or_grouping_need_no_update()
    {
        var render = MemberRoles.OperatorAdminRole();
        var reordered = new BsonArray(render["privileges"].AsBsonArray.Reverse().Select(p => new BsonDocument
        {
            // mongod may list the resource's fields in another order, and the actions in any order
            { "resource", new BsonDocument(p["resource"].AsBsonDocument.Elements.Reverse()) },
            { "actions", new BsonArray(p["actions"].AsBsonArray.Reverse()) },
        }));
        Assert.Null(MemberRoles.UpdateToRender(render, Found(reordered)));
        // The same cluster actions split over two privilege documents.
        var cluster = render["privileges"][0]["actions"].AsBsonArray;
        var split = new BsonArray
        {
            new BsonDocument { { "resource", new BsonDocument("cluster", true) }, { "actions", new BsonArray(cluster.Take(2)) } },
            new BsonDocument { { "resource", new BsonDocument("cluster", true) }, { "actions", new BsonArray(cluster.Skip(2)) } },
            render["privileges"][1],
        };
        Assert.Null(MemberRoles.UpdateToRender(render, Found(split)));
    }

    [Fact]
    public void A_missing_or_extra_grant_or_an_inherited_role_is_brought_to_the_render_with_updateRole()
    {
        var render = MemberRoles.OperatorAdminRole();
        var missing = render["privileges"].DeepClone().AsBsonArray;
        missing[0]["actions"].AsBsonArray.Remove("replSetStateChange");
        var update = MemberRoles.UpdateToRender(render, Found(missing));
        Assert.NotNull(update);
        Assert.Equal(MemberRoles.OperatorRole, update["updateRole"].AsString);
        Assert.Equal(render["privileges"], update["privileges"]);
        Assert.Equal(new BsonArray(), update["roles"]);

        var extra = render["privileges"].DeepClone().AsBsonArray;
        extra[1]["actions"].AsBsonArray.Add("find");
        Assert.NotNull(MemberRoles.UpdateToRender(render, Found(extra)));
        var inherits = new BsonArray { new BsonDocument { { "role", "root" }, { "db", "admin" } } };
        Assert.NotNull(MemberRoles.UpdateToRender(render, Found(render["privileges"].AsBsonArray, inherits)));
    }

    [Fact]
    public void A_role_read_without_its_privileges_is_not_updated_on_a_guess() =>
        Assert.Null(MemberRoles.UpdateToRender(MemberRoles.OperatorAdminRole(), new BsonDocument { { "role", MemberRoles.OperatorRole }, { "db", "admin" } }));
}
