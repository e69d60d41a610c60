using System.Net;
using HipaaMongo.Kmip;
using HipaaMongo.Kmip.Transport;

namespace HipaaMongo.MongodSimulator.Encryption;

/// <summary>Where a KMIP server name is reached (a simulated cluster's DNS); null: the name does not resolve.</summary>
public delegate IPEndPoint? KmipAddressResolver(string host, int port);

/// <summary>
/// Runs a KMIP operation against the first server that answers: servers in the order listed (Percona's kmip.md,
/// "Support for multiple KMIP servers"), each tried 1 + connectRetries times, each attempt bounded by
/// connectTimeoutMS (PSMDB-1241). Without a resolver, names resolve through the system's DNS. A server that answers with a failure (e.g. Item Not Found) is an answer, not an
/// outage: it ends the search.
/// </summary>
internal sealed class KmipConnector(KmipSettings settings, KmipAddressResolver? resolve)
{
    public async Task<T> RunAsync<T>(Func<KmipClient, Task<T>> operation, CancellationToken ct)
    {
        var reasons = new List<string>();
        foreach (var server in settings.Servers)
        {
            if (resolve is not null && resolve(server, settings.Port) is null)
            {
                reasons.Add($"KMIP server {server}:{settings.Port}: Name or service not known");
                continue;
            }

            for (var attempt = 0; attempt <= settings.ConnectRetries; attempt++)
            {
                try
                {
                    return await operation(new KmipClient(Options(server)));
                }
                catch (KmipException e) when (e.Reason is null)
                {
                    reasons.Add(e.Message);
                }
            }
        }

        throw new KmipUnreachableException(
            $"Can't connect to any of KMIP servers specified in the configuration ({string.Join("; ", reasons.Distinct())})");
    }

    // The files are read as PSMDB's KmipClient reads them (kmip_client.cpp, createSslContext): a file that does not
    // load is named, never shown.
    private KmipTlsOptions Options(string server)
    {
        var ca = settings.ServerCaFile ?? throw new KmipUnreachableException("security.kmip.serverCAFile is required");
        var client = settings.ClientCertificateFile ?? throw new KmipUnreachableException("security.kmip.clientCertificateFile is required");
        try
        {
            var pem = KmipTlsOptions.FromPemFiles(server, settings.Port, ca, client);
            return pem with { Timeout = settings.ConnectTimeout, ConnectTo = resolve?.Invoke(server, settings.Port) };
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or UnauthorizedAccessException
            or KmipException)
        {
            throw new KmipUnreachableException($"Failed to load the KMIP client certificate file `{client}` or server CA file `{ca}`: {e.GetType().Name}");
        }
    }
}

/// <summary>No KMIP server answered (or the client could not be set up); the message never carries key material.</summary>
public sealed class KmipUnreachableException(string message) : Exception(message);
