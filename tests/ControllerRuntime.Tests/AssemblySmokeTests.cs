namespace HipaaMongo.ControllerRuntime.Tests;

public class AssemblySmokeTests
{
    [Fact]
    public void Assembly_loads()
    {
        Assert.StartsWith("HipaaMongo.", typeof(HipaaMongo.ControllerRuntime.AssemblyMarker).Assembly.GetName().Name);
    }
}
