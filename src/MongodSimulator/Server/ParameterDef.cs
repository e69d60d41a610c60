using System.Globalization;
using HipaaMongo.MongodSimulator.Commands;
using HipaaMongo.MongodSimulator.Config;
using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Server;

/// <summary>
/// One server parameter: where it may be set (startup via setParameter in the file, runtime via the command),
/// which editions have it, its initial value from the config, and how a new value is checked.
/// </summary>
internal sealed class ParameterDef
{
    public required string Name { get; init; }

    public bool Runtime { get; init; }

    public bool Startup { get; init; }

    public Func<SimulatorProfile, bool> Available { get; init; } = _ => true;

    /// <summary>Value before any startup setParameter (often from a named config option).</summary>
    public required Func<MongodConfig, BsonValue> Initial { get; init; }

    /// <summary>Converts a requested value (BSON from the command, or a string from the file); throws CommandException.</summary>
    public required Func<BsonValue, BsonValue, BsonValue> Convert { get; init; }

    public static BsonValue ToBool(string name, BsonValue v) => v switch
    {
        BsonBoolean b => b,
        BsonString { Value: "true" or "1" } => BsonBoolean.True,
        BsonString { Value: "false" or "0" } => BsonBoolean.False,
        _ when v.IsNumeric => v.ToDouble() != 0,
        _ => throw new CommandException(ErrorCodes.BadValue, $"Failed to parse value for parameter {name}: expected a boolean"),
    };

    public static BsonValue ToInt(string name, BsonValue v, int min, int max)
    {
        long n = v switch
        {
            _ when v.IsNumeric => (long)v.ToDouble(),
            BsonString s when long.TryParse(s.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
            _ => throw new CommandException(ErrorCodes.BadValue, $"Failed to parse value for parameter {name}: expected a number"),
        };
        if (n < min || n > max)
        {
            throw new CommandException(ErrorCodes.BadValue,
                $"Invalid value for parameter {name}: {n} is not greater than or equal to {min} and less than or equal to {max}");
        }

        return new BsonInt32((int)n);
    }

    public static BsonValue ToStr(string name, BsonValue v) => v is BsonString s
        ? s
        : throw new CommandException(ErrorCodes.BadValue, $"Failed to parse value for parameter {name}: expected a string");
}
