using HipaaMongo.MongodSimulator.Commands;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Auth;

/// <summary>A user as mongod keeps it in admin.system.users (credentials as SCRAM keys, never the password).</summary>
public sealed class SimUser
{
    public required string Db { get; init; }

    public required string Name { get; init; }

    public Guid UserId { get; init; } = Guid.NewGuid();

    public List<RoleRef> Roles { get; set; } = [];

    public ScramCredential? Scram { get; set; }

    public BsonDocument? CustomData { get; set; }

    public string Key => $"{Db}.{Name}";

    /// <summary>An independent copy (same UserId), as a secondary holds the replicated admin.system.users document.</summary>
    internal SimUser Clone() => new()
    {
        Db = Db,
        Name = Name,
        UserId = UserId,
        Roles = [.. Roles],
        Scram = Scram,
        CustomData = CustomData?.DeepClone().AsBsonDocument,
    };
}

/// <summary>A custom role created with createRole.</summary>
public sealed class SimRole
{
    public required RoleRef Id { get; init; }

    public List<Privilege> Privileges { get; init; } = [];

    public List<RoleRef> Roles { get; init; } = [];

    internal SimRole Clone() => new() { Id = Id, Privileges = [.. Privileges], Roles = [.. Roles] };
}

/// <summary>An initial user given to the host (tests, LocalCluster bootstrap); Password null for $external users.</summary>
public sealed record SimUserSpec(string Db, string User, string? Password, IReadOnlyList<RoleRef> Roles);

/// <summary>Users and roles with privilege resolution; thread-safe.</summary>
public sealed class UserStore
{
    private readonly Dictionary<string, SimUser> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SimRole> _roles = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Called after every change (outside the lock), so the owner can write admin.system.users/roles to disk.</summary>
    internal Action? Changed { get; set; }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _users.Count == 0 && _roles.Count == 0;
            }
        }
    }

    public SimUser? FindUser(string db, string name)
    {
        lock (_gate)
        {
            return _users.GetValueOrDefault($"{db}.{name}");
        }
    }

    public IReadOnlyList<SimUser> AllUsers()
    {
        lock (_gate)
        {
            return [.. _users.Values.OrderBy(u => u.Key, StringComparer.Ordinal)];
        }
    }

    public IReadOnlyList<SimRole> AllRoles()
    {
        lock (_gate)
        {
            return [.. _roles.Values];
        }
    }

    public SimRole? FindRole(RoleRef r)
    {
        lock (_gate)
        {
            return _roles.GetValueOrDefault($"{r.Db}.{r.Role}");
        }
    }

    public bool RoleExists(RoleRef r) => BuiltinRoles.Exists(r) || FindRole(r) is not null;

    public void AddUser(SimUser user)
    {
        EnsureRolesExist(user.Roles);
        lock (_gate)
        {
            if (!_users.TryAdd(user.Key, user))
            {
                throw new CommandException(51003, $"User \"{user.Name}@{user.Db}\" already exists");
            }
        }

        Changed?.Invoke();
    }

    public void DropUser(string db, string name)
    {
        lock (_gate)
        {
            if (!_users.Remove($"{db}.{name}"))
            {
                throw new CommandException(ErrorCodes.UserNotFound, $"User '{name}@{db}' not found");
            }
        }

        Changed?.Invoke();
    }

    public void AddRole(SimRole role)
    {
        EnsureRolesExist(role.Roles);
        lock (_gate)
        {
            if (BuiltinRoles.Exists(role.Id) || !_roles.TryAdd($"{role.Id.Db}.{role.Id.Role}", role))
            {
                throw new CommandException(51002, $"Role \"{role.Id.Role}@{role.Id.Db}\" already exists");
            }
        }

        Changed?.Invoke();
    }

    /// <summary>Applies a replicated user document (insert or replace), as an oplog entry on admin.system.users would.</summary>
    internal void PutUser(SimUser user)
    {
        lock (_gate)
        {
            _users[user.Key] = user;
        }

        Changed?.Invoke();
    }

    /// <summary>Applies a replicated delete; absent is fine (the secondary may never have had it).</summary>
    internal void RemoveUser(string db, string name)
    {
        lock (_gate)
        {
            _users.Remove($"{db}.{name}");
        }

        Changed?.Invoke();
    }

    /// <summary>Applies a replicated role document (insert or replace).</summary>
    internal void PutRole(SimRole role)
    {
        lock (_gate)
        {
            _roles[$"{role.Id.Db}.{role.Id.Role}"] = role;
        }

        Changed?.Invoke();
    }

    /// <summary>Removes a custom role (dropRole, or its replicated delete); false when there was none.</summary>
    internal bool RemoveRole(RoleRef id)
    {
        bool removed;
        lock (_gate)
        {
            removed = _roles.Remove($"{id.Db}.{id.Role}");
        }

        Changed?.Invoke();
        return removed;
    }

    /// <summary>Initial sync: this member's users and roles become copies of the source's.</summary>
    internal void CopyFrom(UserStore source) =>
        ReplaceAll(source.AllUsers().Select(u => u.Clone()), source.AllRoles().Select(r => r.Clone()));

    /// <summary>Replaces every user and role (initial sync, or the data files read at start-up).</summary>
    internal void ReplaceAll(IEnumerable<SimUser> users, IEnumerable<SimRole> roles)
    {
        var userList = users.ToList();
        var roleList = roles.ToList();
        lock (_gate)
        {
            _users.Clear();
            _roles.Clear();
            foreach (var u in userList)
            {
                _users[u.Key] = u;
            }

            foreach (var r in roleList)
            {
                _roles[$"{r.Id.Db}.{r.Id.Role}"] = r;
            }
        }

        Changed?.Invoke();
    }

    public void EnsureRolesExist(IEnumerable<RoleRef> roles)
    {
        foreach (var r in roles)
        {
            if (!RoleExists(r))
            {
                throw new CommandException(ErrorCodes.RoleNotFound, $"Could not find role: {r.Role}@{r.Db}");
            }
        }
    }

    /// <summary>The given roles and every role they inherit, each once.</summary>
    public IReadOnlyList<RoleRef> Closure(IEnumerable<RoleRef> roles)
    {
        var seen = new List<RoleRef>();
        var queue = new Queue<RoleRef>(roles);
        while (queue.TryDequeue(out var r))
        {
            if (seen.Contains(r))
            {
                continue;
            }

            seen.Add(r);
            foreach (var child in Define(r).Roles)
            {
                queue.Enqueue(child);
            }
        }

        return seen;
    }

    public IReadOnlyList<Privilege> Privileges(IEnumerable<RoleRef> roles) =>
        [.. Closure(roles).SelectMany(r => Define(r).Privileges)];

    public bool IsAuthorized(IEnumerable<RoleRef> roles, ResourcePattern resource, string action) =>
        Privileges(roles).Any(p => p.Resource.Covers(resource) && (p.Actions.Contains(action) || p.Actions.Contains("anyAction")));

    private (List<Privilege> Privileges, List<RoleRef> Roles) Define(RoleRef r)
    {
        if (BuiltinRoles.Define(r) is { } builtin)
        {
            return builtin;
        }

        var custom = FindRole(r);
        return custom is null ? ([], []) : (custom.Privileges, custom.Roles);
    }
}
