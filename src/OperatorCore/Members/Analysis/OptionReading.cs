using HipaaMongo.Operator.Baseline;
using MongoDB.Bson;

namespace HipaaMongo.Operator.Members.Analysis;

internal enum ReadState
{
    /// <summary>The reply or the field was missing, or the field had a type mongod never gives it.</summary>
    NotRead,
    Same,
    Different,
}

/// <summary>
/// One expected option compared with the live member. Runtime parameters are read from getParameter (the
/// value in force); every other option from getCmdLineOpts.parsed (how the process was started), where an
/// absent option means mongod's default.
/// </summary>
internal sealed record OptionReading(ExpectedOption Option, string? Parameter, BsonValue? Found, ReadState State)
{
    /// <summary>Options whose value is a comma list compared as a set (order carries no meaning).</summary>
    private static readonly HashSet<string> SetValued = new(StringComparer.Ordinal)
    {
        "authenticationMechanisms", "setParameter.authenticationMechanisms", "net.tls.disabledProtocols",
    };

    public static OptionReading Read(ExpectedOption option, MemberSnapshot snapshot)
    {
        var parameter = option.RuntimeParameter ?? LdapParameters.For(option.Path);
        if (parameter is not null)
        {
            var value = snapshot.Parameters is { } p && p.TryGetValue(parameter, out var v) ? v : null;
            return value is null ? new(option, parameter, null, ReadState.NotRead) : Judge(option, parameter, value);
        }

        if (BsonRead.Document(BsonRead.At(snapshot.CmdLineOpts, "parsed")) is not { } parsed)
        {
            return new(option, null, null, ReadState.NotRead);
        }

        var found = BsonRead.At(parsed, option.Path);
        if (found is null)
        {
            var absentIsSafe = option.Expectation == Expectation.AbsentOrSafe;
            return new(option, null, null, absentIsSafe ? ReadState.Same : ReadState.Different);
        }

        return Judge(option, null, found);
    }

    private static OptionReading Judge(ExpectedOption option, string? parameter, BsonValue found)
    {
        var equal = Equal(option.Value, found, SetValued.Contains(parameter ?? option.Path));
        var state = equal switch
        {
            null => ReadState.NotRead,
            true => ReadState.Same,
            false => ReadState.Different,
        };
        return new(option, parameter, found, state);
    }

    /// <summary>Null when the found value has a type the desired value can never take (not a comparison).</summary>
    internal static bool? Equal(object desired, BsonValue found, bool asSet) => desired switch
    {
        bool b => BsonRead.Bool(found) is { } f ? f == b : null,
        int i => BsonRead.Integer(found) is { } n ? n == i : null,
        long l => BsonRead.Integer(found) is { } n ? n == l : null,
        string s => Text(found) is { } t ? (asSet ? SameSet(s, t) : s == t) : null,
        _ => null,
    };

    // getParameter returns list-valued parameters (authenticationMechanisms) as an array of strings.
    private static string? Text(BsonValue found) => found switch
    {
        BsonString s => s.Value,
        BsonArray a when a.All(v => v is BsonString) => string.Join(',', a.Select(v => v.AsString)),
        _ => null,
    };

    private static bool SameSet(string a, string b) => Split(a).SetEquals(Split(b));

    private static HashSet<string> Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
}
