namespace HipaaMongo.MongodSimulator.Tests;

public class AssemblySmokeTests
{
    [Fact]
    public void Placeholder_until_the_project_has_tests()
    {
        Assert.Equal(4, 2 + 2);
    }
}
