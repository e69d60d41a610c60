using HipaaMongo.MongodSimulator.Commands;
using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>Current parameter values: config defaults, then the file's setParameter, then runtime changes.</summary>
public sealed class ParameterStore
{
    private readonly Dictionary<string, BsonValue> _values = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Applies the file's setParameter with mongod's startup rules; throws MongodConfigException like mongod.</summary>
    public ParameterStore(MongodConfig config, SimulatorProfile profile)
    {
        Profile = profile;
        foreach (var def in ParameterCatalog.All.Where(d => d.Available(profile)))
        {
            _values[def.Name] = def.Initial(config);
        }

        var v = profile.VersionArray;
        _values["featureCompatibilityVersion"] = new BsonDocument("version", $"{v[0]}.{v[1]}");
        foreach (var (name, text) in config.SetParameters)
        {
            ApplyStartup(name, text);
        }
    }

    public SimulatorProfile Profile { get; }

    public IEnumerable<string> Names
    {
        get
        {
            lock (_gate)
            {
                return [.. _values.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    public BsonValue Get(string name)
    {
        lock (_gate)
        {
            return _values[name];
        }
    }

    public bool Contains(string name)
    {
        lock (_gate)
        {
            return _values.ContainsKey(name);
        }
    }

    public bool GetBool(string name) => Get(name).ToBoolean();

    public int GetInt(string name) => Get(name).ToInt32();

    public string GetString(string name) => Get(name).ToString() ?? "";

    internal ParameterDef? Definition(string name) => ParameterCatalog.Find(name, Profile);

    /// <summary>Validates a runtime change; returns the converted value without storing it.</summary>
    internal BsonValue CheckRuntime(string name, BsonValue requested)
    {
        var def = Definition(name) ?? throw new CommandException(ErrorCodes.InvalidOptions,
            $"attempted to set unrecognized parameter [{name}], use help:true to see options ");
        if (!def.Runtime)
        {
            throw new CommandException(ErrorCodes.IllegalOperation, $"not allowed to change [{name}] at runtime");
        }

        return def.Convert(Get(name), requested);
    }

    /// <summary>Stores a value and returns the previous one.</summary>
    internal BsonValue Store(string name, BsonValue value)
    {
        lock (_gate)
        {
            var old = _values[name];
            _values[name] = value;
            return old;
        }
    }

    private void ApplyStartup(string name, string text)
    {
        var def = Definition(name) ?? throw new MongodConfigException($"Illegal --setParameter parameter: \"{name}\"");
        if (!def.Startup)
        {
            throw new MongodConfigException($"Cannot use --setParameter to set \"{name}\" at startup");
        }

        try
        {
            _values[name] = def.Convert(_values[name], new BsonString(text));
        }
        catch (CommandException e)
        {
            throw new MongodConfigException($"Bad value for parameter \"{name}\": {e.Message}");
        }
    }
}
