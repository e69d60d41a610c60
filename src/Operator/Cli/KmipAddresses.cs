using System.Net;
using HipaaMongo.Operator.KeyManagement;

namespace HipaaMongo.Operator.Cli;

/// <summary>
/// --kmip-address NAME=IP:PORT (repeatable): where the operator's KMIP probe reaches a KMIP server name that DNS does
/// not resolve from where the operator runs (make run, where the name is a cluster service name). The TLS check is
/// unchanged: the server certificate must still name NAME.
/// </summary>
public static class KmipAddresses
{
    public static (KmipServerResolver? Resolver, string? Error) Parse(IReadOnlyList<string>? entries, string option = "--kmip-address")
    {
        if (entries is null || entries.Count == 0)
        {
            return (null, null);
        }
        var map = new Dictionary<string, IPEndPoint>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || !IPEndPoint.TryParse(entry[(eq + 1)..], out var endpoint) || endpoint.Port == 0)
            {
                return (null, $"{option} {entry}: expected NAME=IP:PORT");
            }
            map[entry[..eq]] = endpoint;
        }
        return ((host, _) => map.GetValueOrDefault(host), null);
    }

}
