using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Entities.Tests.Validation;

/// <summary>The one host:port parser, as KMIP validation (port required) and LDAP rendering (default 636) use it.</summary>
public sealed class HostPortsTests
{
    [Theory]
    [InlineData("kmip.example.org:5696", null, "kmip.example.org", 5696)]
    [InlineData("[fd00::1]:5696", null, "[fd00::1]", 5696)]
    [InlineData("ldap.example.org", 636, "ldap.example.org", 636)]
    [InlineData("ldap.example.org:3269", 636, "ldap.example.org", 3269)]
    [InlineData("[fd00::2]", 636, "[fd00::2]", 636)]
    public void Parses_host_and_port(string text, int? defaultPort, string host, int port)
    {
        Assert.True(HostPorts.TryParse(text, out var h, out var p, defaultPort));
        Assert.Equal((host, port), (h, p));
    }

    [Theory]
    [InlineData("kmip.example.org", null)]
    [InlineData("kmip.example.org:0", null)]
    [InlineData("kmip.example.org:65536", 636)]
    [InlineData("[]:5696", null)]
    [InlineData("bad host:5696", null)]
    [InlineData(null, 636)]
    public void Refuses_what_is_not_host_and_port(string? text, int? defaultPort) =>
        Assert.False(HostPorts.TryParse(text, out _, out _, defaultPort));
}
