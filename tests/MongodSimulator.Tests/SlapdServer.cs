namespace HipaaMongo.MongodSimulator.Tests;

/// <summary>
/// Debian's slapd (scripts/slapd-server.sh, installed by scripts/install-slapd.sh from prereqs) listening only on
/// ldaps://127.0.0.1:PORT with a server certificate from a throw-away CA, for the life of one test class. The
/// directory: a query user, alice and dave (in phi-readers), bob (in no group), carol (in billing, whose role the
/// tests do not create), and the groups as groupOfNames under ou=groups. A test may change it with ldapmodify as
/// cn=admin (<see cref="ModifyAsync"/>; its password is generated per instance), and stop and start slapd again.
/// </summary>
public sealed class SlapdServer : IAsyncLifetime
{
    public const string Suffix = "dc=example,dc=org";
    public const string QueryUser = "cn=mongodb-query,ou=services," + Suffix;
    public const string QueryPassword = "query-Pa55word";
    public const string PhiReaders = "cn=phi-readers,ou=groups," + Suffix;
    public const string Billing = "cn=billing,ou=groups," + Suffix;
    public const string AdminDn = "cn=admin," + Suffix;

    private ServerProcess? _server;

    public Kmip.Tests.TestPki Pki { get; } = Kmip.Tests.TestPki.Create("ldap-test-ca");

    public int Port => _server?.Port ?? throw new InvalidOperationException("slapd is not started");

    public static string Password(string user) => $"{user}-Pa55word";

    public static string UserDn(string user) => $"uid={user},ou=people,{Suffix}";

    /// <summary>An ldap.conf as the operator renders it: trust the test CA, demand a verified server certificate.</summary>
    public string LdapConf()
    {
        var path = Path.Combine(Pki.Directory, "ldap.conf");
        File.WriteAllText(path, $"TLS_CACERT {Pki.CaFile}\nTLS_REQCERT demand\n");
        return path;
    }

    private string AdminPasswordFile => Path.Combine(Pki.Directory, "admin.password");

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(Pki.Directory, "data.ldif"), Ldif());
        File.WriteAllText(AdminPasswordFile, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(AdminPasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        await StartAsync();
    }

    /// <summary>Starts slapd (again) on a free port, on the same database: changes made before a stop are kept.</summary>
    public async Task StartAsync() =>
        _server ??= await ServerProcess.StartAsync(RepoPaths.At("scripts", "slapd-server.sh"),
            port => [Pki.Directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    /// <summary>Stops slapd (SIGTERM); its files stay for <see cref="StartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }
    }

    /// <summary>Applies an LDIF change as cn=admin with the real ldapmodify over LDAPS (the server certificate verified).</summary>
    public async Task ModifyAsync(string ldif)
    {
        var result = await Tool.RunAsync("ldapmodify",
            ["-H", $"ldaps://127.0.0.1:{Port}/", "-x", "-D", AdminDn, "-y", AdminPasswordFile],
            TimeSpan.FromSeconds(30), stdin: ldif,
            env: new Dictionary<string, string> { ["LDAPTLS_CACERT"] = Pki.CaFile, ["LDAPTLS_REQCERT"] = "demand" });
        if (result.Code != 0)
        {
            throw new InvalidOperationException($"ldapmodify failed ({result.Code}): {result.All}");
        }
    }

    /// <summary>Removes <paramref name="user"/> from the groupOfNames <paramref name="group"/>.</summary>
    public Task RemoveMemberAsync(string group, string user) => ModifyAsync($"""
        dn: {group}
        changetype: modify
        delete: member
        member: {UserDn(user)}

        """);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Pki.Dispose();
    }

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
        {Person("dave")}
        dn: {PhiReaders}
        objectClass: groupOfNames
        cn: phi-readers
        member: {UserDn("alice")}
        member: {UserDn("dave")}

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
