using CsCheck;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

/// <summary>Evidence goes into status and reports: it must never carry key ids, passwords or secrets.</summary>
public class EvidenceSecrecyTests
{
    // A random marker: if it shows up in evidence, a secret-like value leaked.
    private static readonly Gen<string> Marker = Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789"].Array[16, 24].Select(c => "S3CR3T" + new string(c));

    [Fact]
    public void Key_material_and_secret_like_desired_values_never_appear_in_evidence() =>
        Gen.Select(Marker, Marker, Gen.Bool, Gen.Int[0, Mutations.Failing.Count - 1], (declared, live, same, pick) => (declared, live: same ? declared : live, pick))
            .Sample(t =>
            {
                var o = Observations.Passing(Observations.Model(keyId: t.declared));
                o = o with { Desired = o.Desired with { Options = [.. o.Desired.Options.Select(opt => SecretLike(opt.Path) ? opt with { Value = t.declared } : opt)] } };
                o = Mutations.Failing.Values.ElementAt(t.pick)(o.WithMember(p => p with { KmipKeyId = t.live }, index: 0));

                var report = ComplianceEvaluator.Evaluate(o);

                var text = string.Join("\n", report.Checks.Select(c => c.Evidence).Concat(report.Safeguards.Select(s => s.Message)));
                Assert.DoesNotContain(t.declared, text);
                Assert.DoesNotContain(t.live, text);
            }, iter: 200, threads: 1);

    [Fact]
    public void A_wrong_kmip_key_fails_without_naming_either_key()
    {
        var o = Observations.Passing(Observations.Model(keyId: "declared-key-0001")).WithMember(p => p with { KmipKeyId = "rogue-key-0002" });

        var check = ComplianceEvaluator.Evaluate(o).Check("kmip-master-key");

        Assert.Equal(Outcome.Fail, check.Outcome);
        Assert.DoesNotContain("declared-key-0001", check.Evidence);
        Assert.DoesNotContain("rogue-key-0002", check.Evidence);
    }

    private static bool SecretLike(string path) =>
        path.Contains("password", StringComparison.OrdinalIgnoreCase)
        || path.Contains("secret", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith("keyIdentifier", StringComparison.OrdinalIgnoreCase);
}
