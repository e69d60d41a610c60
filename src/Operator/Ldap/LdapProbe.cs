using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HipaaMongo.Operator.Baseline;
using k8s;
using k8s.Autorest;

namespace HipaaMongo.Operator.Ldap;

/// <summary>Where the operator reaches an LDAP server name that DNS does not resolve from where it runs (make run); null: DNS.</summary>
public delegate IPEndPoint? LdapServerResolver(string host, int port);

/// <summary>The operator's own look at the directory, once per verification (never a write, never a restart).</summary>
public interface IDirectoryProbe
{
    /// <summary>What the probe saw; null when this probe does not look (the condition then stays as stored).</summary>
    Task<DirectoryObservation?> ProbeAsync(string @namespace, LdapModel ldap, CancellationToken ct);
}

/// <summary>A probe that does not look (tests with a scripted members edge, which has no directory).</summary>
public sealed class NoDirectoryProbe : IDirectoryProbe
{
    public Task<DirectoryObservation?> ProbeAsync(string @namespace, LdapModel ldap, CancellationToken ct) => Task.FromResult<DirectoryObservation?>(null);
}

/// <summary>
/// Opens LDAPS to each spec.ldap server in order (as libldap tries the URI list) and completes the TLS handshake with
/// the certificate checked as the members' ldap.conf does (TLS_REQCERT demand): it must chain to the CA of
/// spec.ldap.caSecretRef and name the server. The first server that does answers; nothing is sent over the
/// connection, so the bind password is never read: a directory that refuses the query user is not seen here (members
/// report it at start-up). The CA Secret is read by name (get), never shown.
/// </summary>
public sealed class LdapProbe(IKubernetes client, LdapServerResolver? resolve = null, TimeSpan? timeout = null) : IDirectoryProbe
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(5);

    public async Task<DirectoryObservation?> ProbeAsync(string @namespace, LdapModel ldap, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(ldap);
        var servers = ldap.Servers.Select(s => $"{s.Host}:{s.Port}").ToList();
        var ca = await CaAsync(@namespace, ldap, ct).ConfigureAwait(false);
        if (ca.Trust is not { } trust)
        {
            return new DirectoryObservation(servers, null, ca.Missing);
        }
        try
        {
            string? first = null;
            foreach (var server in ldap.Servers)
            {
                if (await HandshakeAsync(server.Host, server.Port, trust, ct).ConfigureAwait(false) is not { } failure)
                {
                    return new DirectoryObservation(servers, $"{server.Host}:{server.Port}", null);
                }
                first ??= $"{server.Host}:{server.Port}: {failure}";
            }
            return new DirectoryObservation(servers, null, first);
        }
        finally
        {
            foreach (var c in trust)
            {
                c.Dispose();
            }
        }
    }

    // Null when the handshake completed with an acceptable certificate, else a short reason (no exception text).
    private async Task<string?> HandshakeAsync(string host, int port, X509Certificate2Collection trust, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(_timeout);
        using var tcp = new TcpClient();
        try
        {
            if (resolve?.Invoke(host, port) is { } at)
            {
                await tcp.ConnectAsync(at, limit.Token).ConfigureAwait(false);
            }
            else
            {
                await tcp.ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return e is SocketException s ? $"no connection ({s.SocketErrorCode})" : $"no answer within {_timeout.TotalSeconds:0} s";
        }
        string? refused = null;
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            refused = Judge(certificate, errors, host, trust);
            return refused is null;
        });
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, limit.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException
            or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return refused ?? (e is OperationCanceledException ? $"no TLS answer within {_timeout.TotalSeconds:0} s" : "TLS handshake failed");
        }
    }

    // TLS_REQCERT demand with TLS_CACERT: the chain ends in the directory CA, and the certificate names the host.
    private static string? Judge(X509Certificate? presented, SslPolicyErrors errors, string host, X509Certificate2Collection trust)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the server sent no certificate";
        }
        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trust);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (!chain.Build(leaf))
        {
            return "server certificate not issued by the CA of spec.ldap.caSecretRef";
        }
        return leaf.MatchesHostname(host) ? null : $"server certificate is not valid for {host}";
    }

    private async Task<(X509Certificate2Collection? Trust, string? Missing)> CaAsync(string @namespace, LdapModel ldap, CancellationToken ct)
    {
        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(ldap.CaSecret, @namespace, cancellationToken: ct).ConfigureAwait(false);
            if (secret.Data?.TryGetValue(ldap.CaKey, out var bytes) != true || bytes is not { Length: > 0 })
            {
                return (null, $"Secret {ldap.CaSecret} has no {ldap.CaKey}");
            }
            var cas = new X509Certificate2Collection();
            cas.ImportFromPem(Encoding.UTF8.GetString(bytes));
            return cas.Count == 0 ? (null, $"Secret {ldap.CaSecret} key {ldap.CaKey} holds no PEM certificate") : (cas, null);
        }
        catch (HttpOperationException ex) when (ex.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return (null, $"Secret {ldap.CaSecret} does not exist");
        }
        catch (CryptographicException)
        {
            return (null, $"Secret {ldap.CaSecret} key {ldap.CaKey} holds no usable PEM certificate");
        }
    }
}
