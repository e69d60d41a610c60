namespace HipaaMongo.ClusterSimulations.Tests;

public sealed class ClusterSimulationSetTests
{
    [Theory]
    [InlineData("all", SimulationKinds.All)]
    [InlineData("cert-manager", SimulationKinds.CertManager)]
    [InlineData("statefulsets, cert-manager", SimulationKinds.All)]
    [InlineData("none", SimulationKinds.None)]
    [InlineData("", SimulationKinds.None)]
    public void Parses_the_simulate_switch(string text, SimulationKinds expected) => Assert.Equal(expected, ClusterSimulationSet.Parse(text));

    [Fact]
    public void An_unknown_simulation_is_a_clear_error() =>
        Assert.Contains("unknown simulation 'kubelet-x'", Assert.Throws<ArgumentException>(() => ClusterSimulationSet.Parse("kubelet-x")).Message);
}
