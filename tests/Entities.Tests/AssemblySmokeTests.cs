namespace HipaaMongo.Entities.Tests;

public class AssemblySmokeTests
{
    [Fact]
    public void Assembly_loads()
    {
        Assert.StartsWith("HipaaMongo.", typeof(HipaaMongo.Entities.ApiGroup).Assembly.GetName().Name);
    }
}
