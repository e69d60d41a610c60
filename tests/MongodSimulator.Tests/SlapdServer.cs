using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// Debian's slapd (scripts/slapd-server.sh, installed by scripts/install-slapd.sh from prereqs) listening only on
/// ldaps://127.0.0.1:PORT with a server certificate from a throw-away CA, for the life of one test class. The
/// directory: a query user, alice (in phi-readers), bob (in no group), carol (in billing, whose role the tests do not
/// create), and the groups as groupOfNames under ou=groups.
/// </summary>
public sealed class SlapdServer : IAsyncLifetime
{
    public const string Suffix = "dc=example,dc=org";
    public const string QueryUser = "cn=mongodb-query,ou=services," + Suffix;
    public const string QueryPassword = "query-Pa55word";
    public const string PhiReaders = "cn=phi-readers,ou=groups," + Suffix;
    public const string Billing = "cn=billing,ou=groups," + Suffix;

    private Process? _process;
    private readonly System.Text.StringBuilder _output = new();

    public Kmip.Tests.TestPki Pki { get; } = Kmip.Tests.TestPki.Create("ldap-test-ca");

    public int Port { get; private set; }

    public static string Password(string user) => $"{user}-Pa55word";

    public static string UserDn(string user) => $"uid={user},ou=people,{Suffix}";

    /// <summary>An ldap.conf as the operator renders it: trust the test CA, demand a verified server certificate.</summary>
    public string LdapConf()
    {
        var path = Path.Combine(Pki.Directory, "ldap.conf");
        File.WriteAllText(path, $"TLS_CACERT {Pki.CaFile}\nTLS_REQCERT demand\n");
        return path;
    }

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(Pki.Directory, "data.ldif"), Ldif());
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Port = FreePort();
            _process = Start(Port);
            if (await WaitListeningAsync(_process, Port))
            {
                return;
            }
            Stop();
        }
        throw new InvalidOperationException($"slapd did not start: {Output}");
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        Pki.Dispose();
        return ValueTask.CompletedTask;
    }

    private string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private Process Start(int port)
    {
        var script = Path.Combine(RepoRoot(), "scripts", "slapd-server.sh");
        var info = new ProcessStartInfo("bash", [script, Pki.Directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start slapd");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // slapd is exec'd by the script, so the pid is slapd's; it runs in the foreground (-d 0) and forks nothing.
    private void Stop()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        _process?.Dispose();
        _process = null;
    }

    private static async Task<bool> WaitListeningAsync(Process process, int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                return false;
            }
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return true;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));

    private static string Ldif() => $"""
        dn: {Suffix}
        objectClass: dcObject
        objectClass: organization
        o: example
        dc: example

        dn: ou=people,{Suffix}
        objectClass: organizationalUnit
        ou: people

        dn: ou=groups,{Suffix}
        objectClass: organizationalUnit
        ou: groups

        dn: ou=services,{Suffix}
        objectClass: organizationalUnit
        ou: services

        dn: {QueryUser}
        objectClass: inetOrgPerson
        cn: mongodb-query
        sn: query
        userPassword: {QueryPassword}

        {Person("alice")}
        {Person("bob")}
        {Person("carol")}
        dn: {PhiReaders}
        objectClass: groupOfNames
        cn: phi-readers
        member: {UserDn("alice")}

        dn: {Billing}
        objectClass: groupOfNames
        cn: billing
        member: {UserDn("carol")}

        """;

    private static string Person(string uid) => $"""
        dn: {UserDn(uid)}
        objectClass: inetOrgPerson
        uid: {uid}
        cn: {uid}
        sn: {uid}
        userPassword: {Password(uid)}

        """;
}
