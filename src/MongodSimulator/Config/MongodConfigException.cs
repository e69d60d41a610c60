namespace HipaaMongo.MongodSimulator.Config;

/// <summary>A configuration real mongod refuses at startup; the message uses mongod's words.</summary>
public sealed class MongodConfigException : Exception
{
    public MongodConfigException(string message, int exitCode = 2) : base(message) => ExitCode = exitCode;

    public MongodConfigException() : this("bad configuration") { }

    public MongodConfigException(string message, Exception inner) : base(message, inner) => ExitCode = 2;

    /// <summary>mongod exits with 2 (BadOptions) for option errors, 1 for other startup failures.</summary>
    public int ExitCode { get; }
}
