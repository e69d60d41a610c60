namespace HipaaMongo.Kmip.Tests;

/// <summary>
/// Debian's PyKMIP server (scripts/pykmip-server.sh, installed by scripts/install-pykmip.sh from prereqs) on a free
/// loopback port with a <see cref="TestPki"/>, for the life of one test class.
/// </summary>
public sealed class PyKmipServer : IAsyncLifetime
{
    private ServerProcess? _server;

    public TestPki Pki { get; } = TestPki.Create();

    public int Port => _server?.Port ?? throw new InvalidOperationException("pykmip-server is not started");

    public string Log => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";

    private string LogFile => Path.Combine(Pki.Directory, "server.log");

    public async ValueTask InitializeAsync() =>
        _server = await ServerProcess.StartAsync(RepoPaths.At("scripts", "pykmip-server.sh"),
            port => [Pki.Directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            () => "its log:\n" + Log);

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        Pki.Dispose();
    }
}
