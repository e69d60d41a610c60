using HipaaMongo.Entities.Serialization;
using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Entities.Tests.Serialization;

public class YamlParseTests
{
    private static string WithSpecLines(string extra) => Specs.MinimalYaml + "\n" + extra;

    [Fact]
    public void The_minimal_manifest_parses_with_schema_defaults()
    {
        var result = HipaaMongoYaml.ParseAndValidate(Specs.MinimalYaml);

        Assert.Empty(result.Errors);
        var spec = result.Resource!.Spec;
        Assert.Equal("rs0", result.Resource.Metadata.Name);
        Assert.Equal(MongoEdition.Enterprise, spec.Edition);
        Assert.Equal("50Gi", spec.Storage.Size);
        Assert.Equal(3, spec.Members);
        Assert.Equal(DeletionPolicy.Retain, spec.DeletionPolicy);
        Assert.Equal(AuditProfile.Baseline, spec.Audit.Profile);
        Assert.Equal(60, spec.Verification.IntervalSeconds);
        Assert.Equal("kmip-client-tls", spec.Encryption.Kmip.ClientCertificate.SecretName);
    }

    [Fact]
    public void A_typo_that_would_weaken_tls_is_an_error_not_ignored()
    {
        var result = HipaaMongoYaml.Parse(WithSpecLines("  tls: {mode: disabled}"));

        Assert.Null(result.Resource);
        Assert.Equal([new ValidationError("spec.tls.mode", "unknown field \"mode\"")], result.Errors);
    }

    [Fact]
    public void Unknown_fields_report_every_path()
    {
        var result = HipaaMongoYaml.Parse(WithSpecLines("  audit: {enabled: false}\n  network: {allowedClients: [{ipBlock: {cidr: 0.0.0.0/0}}]}"));

        Assert.Equal(
            [
                new ValidationError("spec.audit.enabled", "unknown field \"enabled\""),
                new ValidationError("spec.network.allowedClients[0].ipBlock", "unknown field \"ipBlock\""),
            ],
            result.Errors);
    }

    [Fact]
    public void Community_is_refused_naming_the_hipaa_controls()
    {
        var result = HipaaMongoYaml.Parse(Specs.MinimalYaml.Replace("edition: Enterprise", "edition: Community"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.edition", error.FieldPath);
        Assert.Contains("164.312(b)", error.Message);
        Assert.Contains("164.312(a)(2)(iv)", error.Message);
    }

    [Fact]
    public void An_unknown_enum_value_lists_the_allowed_ones() =>
        Assert.Equal(
            [new ValidationError("spec.deletionPolicy", "unsupported value \"Orphan\": must be one of Retain, Delete")],
            HipaaMongoYaml.Parse(WithSpecLines("  deletionPolicy: Orphan")).Errors);

    [Fact]
    public void A_quoted_number_is_a_string_and_refused_for_an_integer_field() =>
        Assert.Equal([new ValidationError("spec.members", "must be a number")],
            HipaaMongoYaml.Parse(WithSpecLines("  members: \"5\"")).Errors);

    [Fact]
    public void A_plain_number_is_accepted_as_a_quantity()
    {
        var result = HipaaMongoYaml.Parse(Specs.MinimalYaml.Replace("size: 50Gi", "size: 1099511627776"));
        Assert.Equal("1099511627776", result.Resource!.Spec.Storage.Size);
    }

    [Fact]
    public void An_unquoted_version_that_yaml_reads_as_a_number_is_refused() =>
        Assert.Equal([new ValidationError("spec.version", "must be a string")],
            HipaaMongoYaml.Parse(Specs.MinimalYaml.Replace("version: \"8.0.4\"", "version: 8.0")).Errors);

    [Fact]
    public void Wrong_kind_and_api_version_are_reported()
    {
        var yaml = Specs.MinimalYaml.Replace("kind: HipaaMongo", "kind: MongoDB").Replace("v1alpha1", "v1");
        Assert.Equal(
            [
                new ValidationError("apiVersion", "apiVersion must be hipaa.mongooperator.io/v1alpha1"),
                new ValidationError("kind", "kind must be HipaaMongo"),
            ],
            HipaaMongoYaml.Parse(yaml).Errors);
    }

    [Theory]
    [InlineData("spec: [unclosed")]
    [InlineData("- a\n- b")]
    [InlineData("")]
    [InlineData("a: 1\n---\nb: 2")]
    public void Malformed_yaml_is_a_clear_error_not_a_crash(string yaml)
    {
        var result = HipaaMongoYaml.Parse(yaml);
        Assert.Null(result.Resource);
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        var result = HipaaMongoYaml.Parse(WithSpecLines("  members: 3\n  members: 5"));
        Assert.Null(result.Resource);
        Assert.Contains("duplicate", Assert.Single(result.Errors).Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void An_alias_bomb_is_bounded()
    {
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i < 9; i++)
            lines.Add($"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]");
        var result = HipaaMongoYaml.Parse(string.Join('\n', lines));
        Assert.Contains("too large", Assert.Single(result.Errors).Message);
    }

    [Fact]
    public void Missing_required_fields_are_named()
    {
        var yaml = string.Join('\n', Specs.MinimalYaml.Split('\n').TakeWhile(l => !l.Contains("encryption:")));
        Assert.Equal([new ValidationError("spec.encryption", "required field is missing")], HipaaMongoYaml.Parse(yaml).Errors);
    }

    [Fact]
    public void One_run_names_missing_fields_and_rule_errors_together()
    {
        var lines = Specs.MinimalYaml.Split('\n').TakeWhile(l => !l.Contains("encryption:")).ToList();
        lines.Add("  members: 4");
        var result = HipaaMongoYaml.ParseAndValidate(string.Join('\n', lines));

        Assert.Null(result.Resource);
        Assert.Contains(new ValidationError("spec.encryption", "required field is missing"), result.Errors);
        Assert.Contains(result.Errors, e => e.FieldPath == "spec.members");
        Assert.DoesNotContain(result.Errors, e => e.FieldPath.StartsWith("spec.encryption.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_type_error_still_stops_before_the_rules()
    {
        var result = HipaaMongoYaml.ParseAndValidate(WithSpecLines("  members: many"));

        Assert.All(result.Errors, e => Assert.Equal("spec.members", e.FieldPath));
    }

    [Fact]
    public void An_explicit_null_takes_the_default_like_the_api_server()
    {
        var result = HipaaMongoYaml.ParseAndValidate(WithSpecLines("  tls: null\n  audit: ~\n  members: null"));

        Assert.Empty(result.Errors);
        Assert.Equal(TlsSpec.DefaultDuration, result.Resource!.Spec.Tls.Duration);
        Assert.Equal(AuditProfile.Baseline, result.Resource.Spec.Audit.Profile);
        Assert.Equal(3, result.Resource.Spec.Members);
    }

    [Fact]
    public void Parse_and_validate_reports_rule_violations_with_paths()
    {
        var result = HipaaMongoYaml.ParseAndValidate(WithSpecLines("  audit:\n    profile: PHIAccess"));
        Assert.Equal([new ValidationError("spec.audit.phiNamespaces", "audit profile PHIAccess requires at least one entry in phiNamespaces")],
            result.Errors);
    }
}
