using HipaaMongo.Entities;

namespace HipaaMongo.Operator.Users.Planning;

/// <summary>spec.roles against rolesInfo, pure: create what is missing, restore what was changed out of band.</summary>
public static class RolePlanner
{
    public static IReadOnlyList<AccessOp> Plan(IReadOnlyList<RoleModel> declared, IReadOnlyList<RoleModel> observed)
    {
        var found = observed.ToDictionary(r => r.Name);
        var ops = new List<AccessOp>();
        // Parents first: createRole refuses to inherit a role that does not exist yet.
        foreach (var role in InheritanceOrder(declared))
        {
            if (!found.TryGetValue(role.Name, out var live))
                ops.Add(new CreateRoleOp(role));
            else if (!role.SameGrantsAs(live))
                ops.Add(new UpdateRoleOp(role, live));
        }

        return ops;
    }

    public static RoleModel FromSpec(CustomRoleSpec spec) => new(
        new RoleName(spec.Name, spec.Db),
        [.. (spec.Privileges ?? []).Select(p => new PrivilegeModel(p.Resource.Cluster == true,
            p.Resource.Cluster == true ? null : p.Resource.Db ?? "",
            p.Resource.Cluster == true ? null : p.Resource.Collection ?? "",
            [.. p.Actions.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))],
        [.. (spec.Roles ?? []).Select(r => new RoleName(r.Role, r.Db))]);

    private static List<RoleModel> InheritanceOrder(IReadOnlyList<RoleModel> roles)
    {
        var byName = roles.ToDictionary(r => r.Name);
        var done = new HashSet<RoleName>();
        var ordered = new List<RoleModel>();
        void Visit(RoleModel r, int depth)
        {
            // The validator refuses cycles; the depth bound keeps a bad spec from recursing forever anyway.
            if (depth > byName.Count || !done.Add(r.Name)) return;
            foreach (var parent in r.Roles)
                if (byName.TryGetValue(parent, out var p)) Visit(p, depth + 1);
            ordered.Add(r);
        }

        foreach (var r in roles) Visit(r, 0);
        return ordered;
    }
}
