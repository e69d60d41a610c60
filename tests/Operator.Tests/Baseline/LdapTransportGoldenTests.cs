namespace HipaaMongo.Operator.Tests.Baseline;

/// <summary>
/// LDAP transport per edition, through `hipaa-mongo render -f`: LDAPS renders as security.ldap.transportSecurity tls
/// with host:port servers (both editions then open ldaps://), compared with Golden/Ldap/*.golden.yaml; StartTLS,
/// which neither edition can do, is refused naming the field, its message kept as Golden/Ldap/*.refused.txt.
/// Refresh with UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public class LdapTransportGoldenTests
{
    private static string Dir => Path.Combine(TestPaths.GoldenDir, "Ldap");

    [Theory]
    [InlineData("enterprise")]
    [InlineData("percona")]
    public void Ldaps_renders_as_tls_to_the_ldaps_ports(string edition)
    {
        var (code, stdout, stderr) = GoldenTests.Run("render", "-f", Path.Combine(Dir, $"{edition}-ldaps.spec.yaml"));
        Assert.True(code == 0, stderr);
        Assert.Contains("transportSecurity: tls", stdout);
        Assert.Contains("servers: dc1.example.org:636,dc2.example.org:636", stdout);
        Assert.DoesNotContain("ldap://", stdout);
        AssertGolden($"{edition}-ldaps.golden.yaml", stdout);
    }

    [Theory]
    [InlineData("enterprise")]
    [InlineData("percona")]
    public void StartTls_is_refused_naming_the_field_and_nothing_is_rendered(string edition)
    {
        var (code, stdout, stderr) = GoldenTests.Run("render", "-f", Path.Combine(Dir, $"{edition}-starttls.spec.yaml"));
        Assert.NotEqual(0, code);
        Assert.Equal("", stdout);
        Assert.Contains("spec.ldap.transportSecurity", stderr);
        Assert.Contains("StartTLS cannot be rendered", stderr);
        // The message starts with the input's path, which depends on where the repository is checked out.
        AssertGolden($"{edition}-starttls.refused.txt", stderr.Replace(Dir, "Golden/Ldap", StringComparison.Ordinal));
    }

    private static void AssertGolden(string name, string actual)
    {
        var golden = Path.Combine(Dir, name);
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(golden, actual);
        }

        Assert.True(File.Exists(golden), $"no golden file {golden}; run with UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(golden), actual);
    }
}
