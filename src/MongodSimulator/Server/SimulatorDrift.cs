using HipaaMongo.MongodSimulator.Auth;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// Out-of-band changes for tests: what a person does without the wire protocol (edit the data files, restart with
/// other options, swap a certificate). In-band drift goes through the normal commands with an admin client.
/// </summary>
public sealed class SimulatorDrift
{
    private readonly MongodSimulatorHost _host;

    internal SimulatorDrift(MongodSimulatorHost host) => _host = host;

    /// <summary>Sets a parameter bypassing the runtime rules (as a restart with --setParameter would).</summary>
    public void SetParameter(string name, BsonValue value)
    {
        if (!_host.State.Parameters.Contains(name))
        {
            throw new ArgumentException($"unknown parameter {name}", nameof(name));
        }

        _host.State.Parameters.Store(name, value);
    }

    /// <summary>Adds a user directly (e.g. a rogue root written into admin.system.users).</summary>
    public void AddUser(SimUserSpec spec) =>
        _host.State.Users.AddUser(ToUser(spec, _host.State.Parameters.GetInt("scramSHA256IterationCount")));

    /// <summary>Forces this member primary or secondary (an election the test wants to see).</summary>
    public void ForcePrimary(bool primary) => _host.State.Repl.Force(primary);

    /// <summary>Makes a database exist, as an application's first write would (listDatabases then lists it).</summary>
    public void AddDatabase(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _host.State.AddDatabase(name);
    }

    /// <summary>Sets the profiler level without the profile command.</summary>
    public void SetProfileLevel(int level) => _host.State.ProfileLevel = level;

    internal static SimUser ToUser(SimUserSpec spec, int iterations) => new()
    {
        Db = spec.Db,
        Name = spec.User,
        Roles = [.. spec.Roles],
        Scram = spec.Password is null ? null : ScramCredential.Create(spec.Password, iterations),
    };
}
