using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Members.Bootstrap;
using HipaaMongo.Operator.Members.Connection;

namespace HipaaMongo.Operator.Tests.Members.Edge;

/// <summary>The pure pieces of the connection: the $external user name and the server-certificate decision.</summary>
public sealed class ConnectionPiecesTests : IDisposable
{
    private readonly EdgePki _pki = new();

    public void Dispose() => _pki.Dispose();

    public static TheoryData<string> Subjects => new()
    {
        "CN=hipaa-mongo-operator,OU=operator,O=HipaaMongo",
        "CN=a\\, b,OU=x+y,O=Acme; Inc.,L=Zurich,ST=ZH,C=CH",
        "CN=op,OU=operators,DC=example,DC=org",
        "CN= padded ,O=#hash",
    };

    [Theory]
    [MemberData(nameof(Subjects))]
    public async Task The_subject_is_printed_as_openssl_prints_it_in_rfc2253(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var dn = new X500DistinguishedName(ReverseForDotNet(subject), X500DistinguishedNameFlags.UseCommas);
        using var cert = new CertificateRequest(dn, key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var pem = Path.Combine(_pki.Dir, Guid.NewGuid().ToString("N") + ".pem");
        await File.WriteAllTextAsync(pem, cert.ExportCertificatePem(), TestContext.Current.CancellationToken);

        var openssl = await OpensslSubjectAsync(pem);

        Assert.Equal(openssl, SubjectName.Rfc2253(cert));
    }

    /// <summary>
    /// mongod's own printer (SSLX509Name operator&lt;&lt; with escapeRfc2253, ssl_manager.cpp, and its EscapeRFC2253
    /// unit test) escapes only the RFC 2253 specials and keeps UTF-8 as is, where the openssl command line would
    /// print \C3\BC; the $external user name is mongod's form.
    /// </summary>
    [Theory]
    [InlineData(" abc", "\\ abc")]
    [InlineData("#abc", "\\#abc")]
    [InlineData("a,c", "a\\,c")]
    [InlineData("a+c", "a\\+c")]
    [InlineData("a\"c", "a\\\"c")]
    [InlineData("a\\c", "a\\\\c")]
    [InlineData("a<c", "a\\<c")]
    [InlineData("a>c", "a\\>c")]
    [InlineData("a;c", "a\\;c")]
    [InlineData("abc ", "abc\\ ")]
    [InlineData("Z\u00fcrich", "Z\u00fcrich")]
    public void Values_are_escaped_as_mongod_escapes_them(string value, string printed)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCommonName(value);
        b.AddOrganizationName("HipaaMongo");

        Assert.Equal($"CN={printed},O=HipaaMongo", SubjectName.Rfc2253(b.Build()));
    }

    [Fact]
    public void A_member_certificate_for_its_dns_name_from_the_cluster_ca_is_accepted()
    {
        using var served = _pki.WriteMemberPem(0, "phi-db-0.phi-db-hs.clinical.svc.cluster.local", DateTimeOffset.UtcNow.AddDays(5));

        Assert.Null(ServerCertificateCheck.Reject(served, [], [_pki.Ca], "phi-db-0.phi-db-hs.clinical.svc.cluster.local"));
        Assert.Equal("server certificate is not valid for phi-db-1.phi-db-hs.clinical.svc.cluster.local",
            ServerCertificateCheck.Reject(served, [], [_pki.Ca], "phi-db-1.phi-db-hs.clinical.svc.cluster.local"));
        Assert.Equal("server certificate not issued by the cluster CA",
            ServerCertificateCheck.Reject(served, [], [_pki.OtherCa], "phi-db-0.phi-db-hs.clinical.svc.cluster.local"));
    }

    [Fact]
    public void A_client_only_certificate_is_not_accepted_as_a_server_certificate()
    {
        var reason = ServerCertificateCheck.Reject(_pki.Operator, [], [_pki.Ca], "hipaa-mongo-operator");

        Assert.NotNull(reason);
    }

    [Fact]
    public void The_verifier_role_has_no_data_access_and_the_operator_role_only_the_cluster_actions_scaling_needs()
    {
        var verifier = MemberRoles.VerifierRole("phiConfigVerifier", MongoEdition.Enterprise);
        var op = MemberRoles.OperatorAdminRole();
        string[] Actions(MongoDB.Bson.BsonDocument role) =>
            [.. role["privileges"].AsBsonArray.SelectMany(p => p["actions"].AsBsonArray).Select(a => a.AsString)];

        Assert.DoesNotContain(Actions(verifier), a => a is "find" or "insert" or "update" or "remove" or "anyAction" or "setParameter");
        Assert.Contains("viewUser", Actions(verifier));
        Assert.DoesNotContain(Actions(op), a => a is "find" or "insert" or "anyAction" or "shutdown" or "applicationMessage" or "dropDatabase");
        // Scaling reconfigures the set and steps a leaving primary down (docs/members.md, docs/rollouts.md).
        Assert.Contains("replSetConfigure", Actions(op));
        Assert.Contains("replSetStateChange", Actions(op));
    }

    // .NET's string form lists RDNs most significant first (the reverse of RFC 2253's order).
    private static string ReverseForDotNet(string rfc2253)
    {
        var parts = System.Text.RegularExpressions.Regex.Split(rfc2253, @"(?<!\\),");
        return string.Join(", ", parts.Reverse().Select(p => QuoteIfNeeded(p)));
    }

    private static string QuoteIfNeeded(string attribute)
    {
        var eq = attribute.IndexOf('=');
        var value = attribute[(eq + 1)..].Replace("\\,", ",");
        return value.IndexOfAny([',', '+', ';', '#', '"']) >= 0 || value.StartsWith(' ') || value.EndsWith(' ')
            ? $"{attribute[..eq]}=\"{value}\""
            : $"{attribute[..eq]}={value}";
    }

    private static async Task<string> OpensslSubjectAsync(string pem)
    {
        var psi = new ProcessStartInfo("openssl", ["x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in", pem])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await p.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(0, p.ExitCode);
        return output.Trim()["subject=".Length..];
    }
}
