using System.Net;
using HipaaMongo.Operator.Cli;

namespace HipaaMongo.Operator.Tests.Reconciliation;

public sealed class KmipAddressesTests
{
    [Fact]
    public void A_named_server_resolves_to_its_address_and_another_name_to_DNS()
    {
        var (resolve, error) = KmipAddresses.Parse(["kmip.security.svc.cluster.local=127.0.0.1:40123"]);

        Assert.Null(error);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 40123), resolve!("KMIP.security.svc.cluster.local", 5696));
        Assert.Null(resolve("kmip.example.org", 5696));
        Assert.Equal((null, null), KmipAddresses.Parse([]));
    }
}
