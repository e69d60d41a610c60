using HipaaMongo.Entities;
using HipaaMongo.Operator.Compliance;

namespace HipaaMongo.Operator.Tests.Compliance;

public class CatalogueTests
{
    [Fact]
    public void Control_and_check_ids_are_unique()
    {
        Assert.Equal(ControlCatalogue.All.Count, ControlCatalogue.All.Select(c => c.Id).Distinct().Count());
        Assert.Equal(CheckCatalogue.All.Count, CheckCatalogue.All.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Every_control_has_a_check_and_names_only_existing_checks()
    {
        var checks = CheckCatalogue.All.Select(c => c.Id).ToHashSet();
        Assert.All(ControlCatalogue.All, c =>
        {
            Assert.NotEmpty(c.CheckIds);
            Assert.All(c.CheckIds, id => Assert.Contains(id, checks));
        });
    }

    [Fact]
    public void Every_check_but_replica_health_maps_to_a_control() =>
        Assert.Equal(["replica-members"], CheckCatalogue.OutsideTheVerdict.Select(c => c.Id));

    [Fact]
    public void Every_check_names_the_observation_that_proves_it_and_it_is_never_the_configuration_alone() =>
        Assert.All(CheckCatalogue.All, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Observation));
            Assert.DoesNotContain("rendered config", c.Observation, StringComparison.OrdinalIgnoreCase);
        });

    [Fact]
    public void The_contingency_plan_is_not_covered_until_a_backup_exists()
    {
        Assert.DoesNotContain(ControlCatalogue.All, c => c.Id == "HIPAA-164.308(a)(7)");
        var contingency = Assert.Single(ControlCatalogue.NotCovered, n => n.Id == "HIPAA-164.308(a)(7)");
        Assert.Contains("no backup is configured", contingency.Why, StringComparison.Ordinal);
        Assert.Empty(ControlCatalogue.NotCovered.Select(n => n.Id).Intersect(ControlCatalogue.All.Select(c => c.Id)));
    }

    [Fact]
    public void Conditions_are_safeguard_conditions_and_every_safeguard_is_fed()
    {
        Assert.All(ControlCatalogue.All.Where(c => c.Condition is not null), c => Assert.Contains(c.Condition, ConditionTypes.Safeguards));
        Assert.All(ConditionTypes.Safeguards, s => Assert.Contains(ControlCatalogue.All, c => c.Condition == s));
    }

    // The HIPAA clauses of secure-baseline.md 9 the operator can prove; CIS items are the enforceable ones of section 10.
    [Theory]
    [InlineData("HIPAA-164.312(a)(1)")]
    [InlineData("HIPAA-164.312(a)(2)(i)")]
    [InlineData("HIPAA-164.312(a)(2)(ii)")]
    [InlineData("HIPAA-164.312(a)(2)(iii)")]
    [InlineData("HIPAA-164.312(a)(2)(iv)")]
    [InlineData("HIPAA-164.312(b)")]
    [InlineData("HIPAA-164.312(c)(1)")]
    [InlineData("HIPAA-164.312(d)")]
    [InlineData("HIPAA-164.312(e)(1)")]
    [InlineData("HIPAA-164.310(d)")]
    [InlineData("CIS-2.1")]
    [InlineData("CIS-2.2")]
    [InlineData("CIS-2.3")]
    [InlineData("CIS-3.3")]
    [InlineData("CIS-3.5")]
    [InlineData("CIS-4.1")]
    [InlineData("CIS-4.2")]
    [InlineData("CIS-4.3")]
    [InlineData("CIS-4.5")]
    [InlineData("CIS-5.1")]
    [InlineData("CIS-5.2")]
    [InlineData("CIS-6.3")]
    public void Catalogue_covers_the_required_control(string id) =>
        Assert.False(string.IsNullOrWhiteSpace(ControlCatalogue.Get(id).Enforcement));

    [Fact]
    public void Each_check_is_named_after_the_fact_that_fails_it() =>
        Assert.All(CheckCatalogue.All, c => Assert.Matches("^[A-Z][A-Za-z0-9]*(Is|Are|Was|Exist|Differs|Opens)[A-Za-z0-9]*$", c.FailsWhen));
}
