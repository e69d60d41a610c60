namespace HipaaMongo.Entities.Tests;

public class ConversionTests
{
    [Fact]
    public void Label_selectors_convert_to_the_kubernetes_model()
    {
        var selector = new LabelSelector
        {
            MatchLabels = new() { ["app"] = "billing" },
            MatchExpressions = [new LabelSelectorRequirement { Key = "tier", Operator = LabelSelectorOperator.In, Values = ["api"] }],
        };

        var v1 = selector.ToV1LabelSelector();

        Assert.Equal("billing", v1.MatchLabels["app"]);
        var requirement = Assert.Single(v1.MatchExpressions);
        Assert.Equal(("tier", "In"), (requirement.Key, requirement.OperatorProperty));
        Assert.Equal(["api"], requirement.Values);
    }

    [Fact]
    public void Resources_convert_to_requirements_and_omit_what_is_unset()
    {
        var v1 = new ComputeResources { Requests = new ResourceAmounts { Memory = "2Gi" } }.ToV1ResourceRequirements();

        Assert.Equal(["memory"], v1.Requests.Keys);
        Assert.Equal("2Gi", v1.Requests["memory"].ToString());
        Assert.Null(v1.Limits);
    }

    [Fact]
    public void The_list_kind_names_the_api()
    {
        var list = new HipaaMongoList();
        Assert.Equal(("hipaa.mongooperator.io/v1alpha1", "HipaaMongoList"), (list.ApiVersion, list.Kind));
    }
}
