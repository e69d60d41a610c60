using CsCheck;
using HipaaMongo.Entities.Tests.Crds;
using HipaaMongo.Entities.Validation;
using static HipaaMongo.Entities.Tests.Validation.InvalidSpecTests;

namespace HipaaMongo.Entities.Tests.Validation;

/// <summary>
/// A selector in allowedClients is refused exactly when it matches everything, by its set semantics; the CRD's CEL
/// and the validator decide alike on every generated selector.
/// </summary>
public class SelectorReachTests
{
    public static TheoryData<string, bool> NamespaceSelectors() => new()
    {
        { "matchLabels name=ehr", false },
        { "In name [ehr]", false },
        { "Exists team", false },
        { "DoesNotExist name", false }, // matches no namespace at all: harmless
        { "Exists team, NotIn team [red]", false },
        { "{}", true },
        { "Exists name", true },
        { "DoesNotExist team", true },
        { "NotIn name [kube-system]", true },
        { "NotIn team [red], DoesNotExist env", true },
    };

    [Theory]
    [MemberData(nameof(NamespaceSelectors))]
    public void A_namespace_selector_is_open_when_a_new_unlabelled_namespace_matches(string selector, bool everything) =>
        Assert.Equal(everything, SelectorReach.MatchesEveryNamespace(Parse(selector)));

    public static TheoryData<string, bool> PodSelectors() => new()
    {
        { "matchLabels app=api", false },
        { "In app [api]", false },
        { "Exists app", false },
        { "{}", true },
        { "Exists name, DoesNotExist app", false },
        { "DoesNotExist app", true },
        { "NotIn app [web]", true },
    };

    [Theory]
    [MemberData(nameof(PodSelectors))]
    public void A_pod_selector_is_open_when_a_pod_without_labels_matches(string selector, bool everything) =>
        Assert.Equal(everything, SelectorReach.MatchesEveryPod(Parse(selector)));

    [Fact]
    public void The_crd_refuses_exactly_the_selectors_the_validator_refuses() =>
        Gen.Select(Selector.Null(), Selector.Null()).Sample(pair =>
        {
            var (ns, pods) = pair;
            var spec = Specs.Valid();
            spec.Network.AllowedClients = [Client(ns, pods)];
            var fromValidator = HipaaMongoValidator.Validate(spec, null).Select(e => e.Message).Order().ToList();
            var resource = new HipaaMongoResource { Metadata = new() { Name = "rs0", NamespaceProperty = "phi" }, Spec = spec };
            var fromCel = CelRunner.FailingMessages(resource).Order().ToList();
            Assert.Equal(fromValidator, fromCel);
        }, iter: 400);

    private static readonly string[] Keys = ["kubernetes.io/metadata.name", "team", "app"];

    private static readonly Gen<LabelSelectorRequirement> Requirement =
        Gen.Select(Gen.OneOf(Keys), Gen.Enum<LabelSelectorOperator>(), (key, op) => InvalidSpecTests.Requirement(key, op,
            op is LabelSelectorOperator.In or LabelSelectorOperator.NotIn ? ["a"] : []));

    private static readonly Gen<LabelSelector> Selector = Gen.Select(Gen.Bool, Requirement.List[0, 3], (labels, expressions) =>
        new LabelSelector
        {
            MatchLabels = labels ? new() { ["app"] = "api" } : null,
            MatchExpressions = expressions.Count > 0 ? expressions : null,
        });

    // "Exists team, NotIn team [red]": requirements by short names; "name" is kubernetes.io/metadata.name.
    private static LabelSelector Parse(string text)
    {
        if (text == "{}") return new LabelSelector();
        if (text.StartsWith("matchLabels ", StringComparison.Ordinal))
        {
            var pair = text["matchLabels ".Length..].Split('=');
            return Labels(Key(pair[0]), pair[1]);
        }

        return Expressions([.. text.Split(", ").Select(part =>
        {
            var words = part.Split(' ', 3);
            var values = words.Length > 2 ? words[2].Trim('[', ']').Split(' ') : [];
            return InvalidSpecTests.Requirement(Key(words[1]), Enum.Parse<LabelSelectorOperator>(words[0]), values);
        })]);
    }

    private static string Key(string shortName) => shortName == "name" ? "kubernetes.io/metadata.name" : shortName;
}
