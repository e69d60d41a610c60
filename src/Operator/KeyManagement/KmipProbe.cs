using System.Net;
using System.Security.Cryptography.X509Certificates;
using HipaaMongo.Kmip;
using HipaaMongo.Kmip.Transport;
using HipaaMongo.Operator.Baseline;

namespace HipaaMongo.Operator.KeyManagement;

/// <summary>The TLS identity the probe speaks KMIP with: the members' KMIP client certificate and the server CAs.</summary>
public sealed record KmipProbeCredentials(X509Certificate2 ClientCertificate, X509Certificate2Collection TrustedCas);

/// <summary>Reads the KMIP state of the keys the members report; the edge behind <see cref="KeyManagementObservation"/>.</summary>
public interface IKeyManagementProbe
{
    Task<KeyManagementObservation> ProbeAsync(KmipModel kmip, KmipProbeCredentials? credentials, string? missing,
        IReadOnlyCollection<string> keyIds, CancellationToken ct);
}

/// <summary>Where a KMIP server name is reached when it differs from DNS (a local run); null: DNS.</summary>
public delegate IPEndPoint? KmipServerResolver(string host, int port);

/// <summary>
/// The operator's own KMIP probe, over the project's KMIP client (src/Kmip) with the members' KMIP client
/// certificate, so the server's access policy lets it read the keys the members own (PyKMIP gives an object to the
/// identity that created it). Servers are tried in the order listed, as mongod tries them (Percona's kmip.md); the
/// first that answers is asked Get Attributes (State) for each key id (KMIP 1.2 §4.13). A server that answers with a
/// failure is an answer: Item Not Found makes the key <see cref="KeyManagementObservation.Absent"/>. Never a write.
/// </summary>
public sealed class KmipProbe(TimeProvider time, KmipServerResolver? resolve = null, TimeSpan? timeout = null) : IKeyManagementProbe
{
    // A name no key of ours carries: Locate answers with an empty list, which proves the server answers.
    private const string ProbeName = "hipaa-mongo-operator-reachability-probe";

    public async Task<KeyManagementObservation> ProbeAsync(KmipModel kmip, KmipProbeCredentials? credentials, string? missing,
        IReadOnlyCollection<string> keyIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(kmip);
        ArgumentNullException.ThrowIfNull(keyIds);
        var servers = kmip.Servers.Select(s => $"{s.Host}:{s.Port}").ToList();
        if (credentials is null)
        {
            return new(time.GetUtcNow(), servers, null, missing ?? "the KMIP client certificate is not available", new Dictionary<string, string>());
        }

        var reasons = new List<string>();
        foreach (var server in kmip.Servers)
        {
            try
            {
                var client = new KmipClient(Options(server, credentials));
                var states = await ReadStatesAsync(client, keyIds, ct);
                return new(time.GetUtcNow(), servers, $"{server.Host}:{server.Port}", null, states);
            }
            catch (KmipException e) when (e.Reason is null)
            {
                reasons.Add(e.Message); // the client names the server it tried
            }
        }
        return new(time.GetUtcNow(), servers, null, string.Join("; ", reasons), new Dictionary<string, string>());
    }

    private KmipTlsOptions Options(HostPort server, KmipProbeCredentials credentials) => new()
    {
        Host = server.Host,
        Port = server.Port,
        ClientCertificate = credentials.ClientCertificate,
        TrustedCas = credentials.TrustedCas,
        ConnectTo = resolve?.Invoke(server.Host, server.Port),
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
    };

    private static async Task<Dictionary<string, string>> ReadStatesAsync(KmipClient client, IReadOnlyCollection<string> keyIds, CancellationToken ct)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        if (keyIds.Count == 0)
        {
            _ = await client.LocateByNameAsync(ProbeName, ct);
            return states;
        }
        foreach (var id in keyIds.Distinct(StringComparer.Ordinal))
        {
            try
            {
                states[id] = (await client.GetStateAsync(id, ct)).ToString();
            }
            catch (KmipException e) when (e.Reason == ResultReason.ItemNotFound)
            {
                states[id] = KeyManagementObservation.Absent;
            }
            // Another refusal (e.g. Permission Denied) leaves the state unread: custody stays Unknown, never a Pass.
            catch (KmipException e) when (e.Reason is not null)
            {
            }
        }
        return states;
    }
}
