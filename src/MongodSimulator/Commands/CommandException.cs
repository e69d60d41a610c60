using MongoDB.Bson;

namespace HipaaMongo.MongodSimulator.Commands;

/// <summary>A command failure, rendered as mongod's {ok:0, errmsg, code, codeName}.</summary>
public sealed class CommandException : Exception
{
    public CommandException(int code, string message, BsonDocument? extra = null) : base(message)
    {
        Code = code;
        Extra = extra;
    }

    public CommandException() : this(ErrorCodes.InternalError, "internal error") { }

    public CommandException(string message) : this(ErrorCodes.InternalError, message) { }

    public CommandException(string message, Exception inner) : base(message, inner) => Code = ErrorCodes.InternalError;

    public int Code { get; }

    /// <summary>Fields mongod adds to some errors (topologyVersion on NotWritablePrimary).</summary>
    public BsonDocument? Extra { get; }

    /// <summary>Closes the connection after the reply (protocol errors such as 223 and 288).</summary>
    public bool CloseConnection { get; init; }

    public BsonDocument ToReply()
    {
        var reply = new BsonDocument
        {
            { "ok", 0.0 },
            { "errmsg", Message },
            { "code", Code },
            { "codeName", ErrorCodes.Name(Code) },
        };
        if (Extra is not null)
        {
            reply.Merge(Extra, overwriteExistingElements: false);
        }

        return reply;
    }
}

/// <summary>Error codes and names from mongo's error_codes.yml (doc section 0).</summary>
public static class ErrorCodes
{
    public const int InternalError = 1;
    public const int BadValue = 2;
    public const int UserNotFound = 11;
    public const int Unauthorized = 13;
    public const int TypeMismatch = 14;
    public const int ProtocolError = 17;
    public const int AuthenticationFailed = 18;
    public const int IllegalOperation = 20;
    public const int AlreadyInitialized = 23;
    public const int RoleNotFound = 31;
    public const int CommandNotFound = 59;
    public const int InvalidOptions = 72;
    public const int NodeNotFound = 74;
    public const int NoReplicationEnabled = 76;
    public const int InvalidReplicaSetConfig = 93;
    public const int NotYetInitialized = 94;
    public const int NewReplicaSetConfigurationIncompatible = 103;
    public const int IllegalOpMsgFlag = 223;
    public const int ExceededTimeLimit = 262;
    public const int ChecksumMismatch = 288;
    public const int MechanismUnavailable = 334;
    public const int UnsupportedOpQueryCommand = 352;
    public const int NotWritablePrimary = 10107;
    public const int NotPrimaryNoSecondaryOk = 13435;
    public const int IDLUnknownField = 40415;

    private static readonly Dictionary<int, string> Names = new()
    {
        [InternalError] = "InternalError",
        [BadValue] = "BadValue",
        [UserNotFound] = "UserNotFound",
        [Unauthorized] = "Unauthorized",
        [TypeMismatch] = "TypeMismatch",
        [ProtocolError] = "ProtocolError",
        [AuthenticationFailed] = "AuthenticationFailed",
        [IllegalOperation] = "IllegalOperation",
        [AlreadyInitialized] = "AlreadyInitialized",
        [RoleNotFound] = "RoleNotFound",
        [CommandNotFound] = "CommandNotFound",
        [InvalidOptions] = "InvalidOptions",
        [NodeNotFound] = "NodeNotFound",
        [NoReplicationEnabled] = "NoReplicationEnabled",
        [InvalidReplicaSetConfig] = "InvalidReplicaSetConfig",
        [NotYetInitialized] = "NotYetInitialized",
        [NewReplicaSetConfigurationIncompatible] = "NewReplicaSetConfigurationIncompatible",
        [IllegalOpMsgFlag] = "IllegalOpMsgFlag",
        [ExceededTimeLimit] = "ExceededTimeLimit",
        [ChecksumMismatch] = "ChecksumMismatch",
        [MechanismUnavailable] = "MechanismUnavailable",
        [UnsupportedOpQueryCommand] = "UnsupportedOpQueryCommand",
        [NotWritablePrimary] = "NotWritablePrimary",
        [NotPrimaryNoSecondaryOk] = "NotPrimaryNoSecondaryOk",
        [IDLUnknownField] = "IDLUnknownField",
        [140] = "InvalidSSLConfiguration",
    };

    /// <summary>codeName: the error_codes.yml name, else "Location&lt;code&gt;".</summary>
    public static string Name(int code) => Names.TryGetValue(code, out var n) ? n : $"Location{code}";
}
