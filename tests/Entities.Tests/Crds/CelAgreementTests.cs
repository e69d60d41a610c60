using CsCheck;
using HipaaMongo.Entities.Tests.Validation;
using HipaaMongo.Entities.Validation;
using k8s.Models;

namespace HipaaMongo.Entities.Tests.Crds;

/// <summary>The CRD's CEL rules and the C# validator say the same thing, with the same message.</summary>
public class CelAgreementTests
{
    private static readonly HashSet<string> CelMessages = [.. AllRules().Select(r => r.Message)];

    private static HipaaMongoResource Resource(HipaaMongoSpec spec) =>
        new() { Metadata = new V1ObjectMeta { Name = "rs0", NamespaceProperty = "phi" }, Spec = spec };

    private static IEnumerable<V1ValidationRule> AllRules()
    {
        var pending = new Stack<V1JSONSchemaProps>([CelRunner.Schema]);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            foreach (var rule in node.XKubernetesValidations ?? []) yield return rule;
            foreach (var child in node.Properties?.Values ?? []) pending.Push(child);
            if (node.Items is V1JSONSchemaProps items) pending.Push(items);
        }
    }

    [Theory]
    [InlineData("spec.edition", "self == oldSelf")]
    [InlineData("spec.storage", "self.storageClassName == oldSelf.storageClassName")]
    [InlineData("spec.audit", "self.profile != 'PHIAccess'")]
    [InlineData("spec.tls", "duration(self.renewBefore) < duration(self.duration)")]
    [InlineData("spec.ldap", "s.startsWith('ldaps://')")]
    [InlineData("spec.members", "self - oldSelf <= 2")]
    public void The_issues_cross_field_and_immutability_rules_are_in_the_crd(string path, string fragment)
    {
        var node = CelRunner.Schema;
        foreach (var part in path.Split('.')) node = node.Properties[part];
        Assert.Contains(node.XKubernetesValidations, r => r.Rule.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_rule_compiles() =>
        Assert.All(AllRules(), rule => CelRunner.Compile(rule.Rule));

    [Fact]
    public void Generated_valid_specs_pass_every_rule() =>
        SpecGenerators.ValidSpec.Sample(spec =>
        {
            var failures = CelRunner.FailingMessages(Resource(spec));
            Assert.True(failures.Count == 0, string.Join("; ", failures));
        }, iter: 150);

    [Fact]
    public void Unchanged_specs_pass_every_transition_rule() =>
        SpecGenerators.ValidSpec.Sample(spec =>
        {
            var failures = CelRunner.FailingMessages(Resource(spec), Resource(spec));
            Assert.True(failures.Count == 0, string.Join("; ", failures));
        }, iter: 100);

    public static TheoryData<string> CelBackedCases() =>
        [.. InvalidSpecTests.Cases.Where(c => CelMessages.Contains(c.Value.Message)).Select(c => c.Key)];

    public static TheoryData<string> CelBackedLdapCases() =>
        [.. InvalidSpecTests.LdapCases.Where(c => CelMessages.Contains(c.Value.Message)).Select(c => c.Key)];

    [Theory]
    [MemberData(nameof(CelBackedCases))]
    public void Cel_refuses_the_invalid_spec_with_the_validators_message(string name)
    {
        var (breakIt, _, message) = InvalidSpecTests.Cases[name];
        var spec = Specs.Valid();
        breakIt(spec);
        Assert.Contains(message, CelRunner.FailingMessages(Resource(spec)));
    }

    [Theory]
    [MemberData(nameof(CelBackedLdapCases))]
    public void Cel_refuses_the_invalid_ldap_section_with_the_validators_message(string name)
    {
        var (breakIt, _, message) = InvalidSpecTests.LdapCases[name];
        var spec = Specs.WithLdap();
        breakIt(spec.Ldap!);
        Assert.Contains(message, CelRunner.FailingMessages(Resource(spec)));
    }

    [Fact]
    public void Most_table_cases_are_also_enforced_at_admission() =>
        Assert.True(CelBackedCases().Count + CelBackedLdapCases().Count >= 15);

    [Theory]
    [InlineData("edition")]
    [InlineData("members")]
    [InlineData("storageClassName")]
    [InlineData("keyIdentifier")]
    public void Transition_rules_agree_with_the_validator(string field)
    {
        var old = Specs.Valid();
        old.Encryption.Kmip.KeyIdentifier = "key-1";
        var updated = Specs.Valid();
        updated.Encryption.Kmip.KeyIdentifier = "key-1";
        Action<HipaaMongoSpec> change = field switch
        {
            "edition" => s => s.Edition = MongoEdition.Percona,
            "members" => s => s.Members = 7,
            "storageClassName" => s => s.Storage.StorageClassName = null,
            _ => s => s.Encryption.Kmip.KeyIdentifier = "key-2",
        };
        change(updated);

        var validatorMessages = HipaaMongoValidator.Validate(updated, old).Select(e => e.Message).ToList();
        var celMessages = CelRunner.FailingMessages(Resource(updated), Resource(old));
        Assert.Single(validatorMessages);
        Assert.Equal(validatorMessages, celMessages);
    }

    [Fact]
    public void The_name_rule_agrees_with_the_validator()
    {
        var resource = Resource(Specs.Valid());
        resource.Metadata.Name = new string('x', 41);
        Assert.Equal([HipaaMongoValidator.NameTooLongMessage], CelRunner.FailingMessages(resource));
    }
}
