namespace HipaaMongo.ApiMachinery.Tests;

public class AssemblySmokeTests
{
    [Fact]
    public void Assembly_loads()
    {
        Assert.StartsWith("HipaaMongo.", typeof(HipaaMongo.ApiMachinery.AssemblyMarker).Assembly.GetName().Name);
    }
}
