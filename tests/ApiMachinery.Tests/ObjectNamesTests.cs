namespace HipaaMongo.ApiMachinery.Tests;

/// <summary>Object names with k8s.io/apimachinery's rules and texts (util/validation, api/validation/generic.go).</summary>
public class ObjectNamesTests
{
    private const string SubdomainError =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    private const string LabelError =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    private const string Dns1035Error =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

    [Theory]
    [InlineData("phi-db")]
    [InlineData("phi-db.clinical")]
    [InlineData("0db")]
    public void Valid_subdomains_pass(string name) => Assert.Empty(ObjectNames.NameIsDnsSubdomain(name, false));

    [Theory]
    [InlineData("phi-dbé")]
    [InlineData("Phi-db")]
    [InlineData("phi_db")]
    [InlineData("phi-db-")]
    [InlineData("phi-db\n")]
    public void Invalid_subdomains_get_kubes_text(string name) =>
        Assert.Equal([SubdomainError], ObjectNames.NameIsDnsSubdomain(name, false));

    [Fact]
    public void Length_counts_utf8_bytes_as_go_len()
    {
        Assert.Equal(["must be no more than 253 characters"], ObjectNames.NameIsDnsSubdomain(new string('a', 254), false));
        Assert.Contains("must be no more than 63 characters", ObjectNames.NameIsDnsLabel(new string('a', 62) + "é", false));
    }

    [Fact]
    public void A_label_with_dots_is_told_so() => Assert.Equal(["must not contain dots"], ObjectNames.NameIsDnsLabel("a.b", false));

    [Fact]
    public void A_label_refuses_other_characters() => Assert.Equal([LabelError], ObjectNames.NameIsDnsLabel("a_b", false));

    [Fact]
    public void A_dns1035_label_must_start_with_a_letter()
    {
        Assert.Equal([Dns1035Error], ObjectNames.NameIsDns1035Label("0db", false));
        Assert.Empty(ObjectNames.NameIsDns1035Label("db0", false));
    }

    [Fact]
    public void A_generate_name_prefix_may_end_with_a_dash() => Assert.Empty(ObjectNames.NameIsDnsSubdomain("phi-db-", true));

    [Theory]
    [InlineData("system:controller:x", new string[0])]
    [InlineData("..", new[] { "may not be '..'" })]
    [InlineData("a/b%c", new[] { "may not contain '/'", "may not contain '%'" })]
    public void Rbac_names_are_path_segments(string name, string[] errors) =>
        Assert.Equal(errors, ObjectNames.NameIsPathSegment(name, false));

    [Fact]
    public void The_field_text_quotes_the_value_as_go() =>
        Assert.Equal("Invalid value: \"phi-dbé\": x", ObjectNames.Invalid("phi-dbé", "x"));
}
