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

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(Pki.Directory, "data.ldif"), Ldif());
        _server = await ServerProcess.StartAsync(RepoPaths.At("scripts", "slapd-server.sh"),
            port => [Pki.Directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
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
