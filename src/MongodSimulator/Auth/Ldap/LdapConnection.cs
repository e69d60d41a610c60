using System.Formats.Asn1;
using System.Net.Security;
using System.Net.Sockets;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HipaaMongo.MongodSimulator.Auth.Ldap;

/// <summary>One search result: the entry's DN and its attributes' values (RFC 4511 §4.5.2 SearchResultEntry).</summary>
internal sealed record LdapEntry(string Dn, IReadOnlyList<(string Type, IReadOnlyList<string> Values)> Attributes);

/// <summary>A failed LDAP operation or an unreachable server; the message never carries a password.</summary>
internal sealed class LdapException(string message, int resultCode = -1) : Exception(message)
{
    /// <summary>The server's resultCode (49 invalidCredentials, ...); -1 when no server answered.</summary>
    public int ResultCode { get; } = resultCode;
}

/// <summary>
/// An LDAPv3 client over TLS from the first byte (ldaps://), as mongod's libldap opens it when
/// security.ldap.transportSecurity is tls: simple Bind (RFC 4511 §4.2) and Search (§4.5) in BER. The server
/// certificate is checked as TLS_REQCERT demand does: it must chain to TLS_CACERT and name the host (ldap.conf(5)).
/// There is no plain-LDAP path in this class.
/// </summary>
internal sealed class LdapConnection : IAsyncDisposable
{
    private static readonly Asn1Tag BindRequest = new(TagClass.Application, 0, true);
    private static readonly Asn1Tag BindResponse = new(TagClass.Application, 1, true);
    private static readonly Asn1Tag UnbindRequest = new(TagClass.Application, 2, false);
    private static readonly Asn1Tag SearchRequest = new(TagClass.Application, 3, true);
    private static readonly Asn1Tag SearchEntry = new(TagClass.Application, 4, true);
    private static readonly Asn1Tag SearchDone = new(TagClass.Application, 5, true);

    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly TimeSpan _timeout;
    private int _messageId;

    private LdapConnection(TcpClient tcp, SslStream tls, TimeSpan timeout)
    {
        _tcp = tcp;
        _tls = tls;
        _timeout = timeout;
    }

    public static async Task<LdapConnection> OpenAsync(string host, int port, X509Certificate2Collection? trust, TimeSpan timeout, CancellationToken ct,
        System.Net.IPEndPoint? at = null)
    {
        using var limit = Limit(timeout, ct);
        var tcp = new TcpClient();
        try
        {
            // The server is dialled where the name resolves (at, in a simulated cluster) and verified by the name.
            await (at is null ? tcp.ConnectAsync(host, port, limit.Token) : tcp.ConnectAsync(at, limit.Token));
            var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions { TargetHost = host };
            if (trust is not null)
            {
                options.CertificateChainPolicy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                };
                options.CertificateChainPolicy.CustomTrustStore.AddRange(trust);
            }
            await tls.AuthenticateAsClientAsync(options, limit.Token);
            return new LdapConnection(tcp, tls, timeout);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            tcp.Dispose();
            ct.ThrowIfCancellationRequested();
            throw new LdapException($"Can't contact LDAP server ldaps://{host}:{port}/ ({Reason(e)})");
        }
    }

    /// <summary>A simple bind; throws <see cref="LdapException"/> with the server's resultCode when refused.</summary>
    public async Task BindAsync(string dn, string password, CancellationToken ct)
    {
        var w = Message(out var id);
        w.PushSequence(BindRequest);
        w.WriteInteger(3);
        w.WriteOctetString(Encoding.UTF8.GetBytes(dn));
        w.WriteOctetString(Encoding.UTF8.GetBytes(password), new Asn1Tag(TagClass.ContextSpecific, 0));
        w.PopSequence(BindRequest);
        w.PopSequence();
        await SendAsync(w, ct);
        var reply = await ReceiveAsync(id, ct);
        var op = reply.ReadSequence(BindResponse);
        ThrowUnlessSuccess(op, "bind");
    }

    public async Task<IReadOnlyList<LdapEntry>> SearchAsync(LdapUrl url, CancellationToken ct)
    {
        var w = Message(out var id);
        w.PushSequence(SearchRequest);
        w.WriteOctetString(Encoding.UTF8.GetBytes(url.BaseDn));
        w.WriteEnumeratedValue(url.Scope);
        w.WriteEnumeratedValue(DerefAliases.Never);
        w.WriteInteger(0); // sizeLimit: none
        w.WriteInteger((long)Math.Ceiling(_timeout.TotalSeconds)); // timeLimit, as libldap sends LDAP_OPT_TIMEOUT
        w.WriteBoolean(false); // typesOnly
        LdapFilter.Write(w, url.Filter);
        w.PushSequence();
        foreach (var attribute in url.Attributes)
        {
            w.WriteOctetString(Encoding.UTF8.GetBytes(attribute));
        }
        w.PopSequence();
        w.PopSequence(SearchRequest);
        w.PopSequence();
        await SendAsync(w, ct);

        var entries = new List<LdapEntry>();
        while (true)
        {
            var reply = await ReceiveAsync(id, ct);
            var tag = reply.PeekTag();
            if (tag.HasSameClassAndValue(SearchEntry))
            {
                entries.Add(ReadEntry(reply.ReadSequence(SearchEntry)));
            }
            else if (tag.HasSameClassAndValue(SearchDone))
            {
                ThrowUnlessSuccess(reply.ReadSequence(SearchDone), "search");
                return entries;
            }
            // SearchResultReference (referrals) is skipped: ldapFollowReferrals defaults to false (ldap_options.idl).
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            var w = Message(out _);
            w.WriteNull(UnbindRequest);
            w.PopSequence();
            await SendAsync(w, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or LdapException)
        {
            // The server may already have gone; unbind is a courtesy (RFC 4511 §4.3).
        }
        await _tls.DisposeAsync();
        _tcp.Dispose();
    }

    private enum DerefAliases
    {
        Never = 0,
    }

    private AsnWriter Message(out int id)
    {
        id = ++_messageId;
        var w = new AsnWriter(AsnEncodingRules.BER);
        w.PushSequence();
        w.WriteInteger(id);
        return w;
    }

    private async Task SendAsync(AsnWriter w, CancellationToken ct)
    {
        using var limit = Limit(_timeout, ct);
        try
        {
            await _tls.WriteAsync(w.Encode(), limit.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            ct.ThrowIfCancellationRequested();
            throw new LdapException($"LDAP server connection lost ({Reason(e)})");
        }
    }

    // Reads LDAPMessages until the one answering `id`; returns a reader positioned at its protocolOp.
    private async Task<AsnReader> ReceiveAsync(int id, CancellationToken ct)
    {
        using var limit = Limit(_timeout, ct);
        while (true)
        {
            byte[] bytes;
            try
            {
                bytes = await ReadMessageAsync(limit.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or EndOfStreamException)
            {
                ct.ThrowIfCancellationRequested();
                throw new LdapException($"LDAP server did not answer ({Reason(e)})");
            }

            var message = new AsnReader(bytes, AsnEncodingRules.BER).ReadSequence();
            if (message.TryReadInt32(out var got) && got == id)
            {
                return message;
            }
        }
    }

    // One BER TLV: tag byte, definite length (short or long form, RFC 4511 §5.1 forbids indefinite), content.
    private async Task<byte[]> ReadMessageAsync(CancellationToken ct)
    {
        var head = new byte[2];
        await _tls.ReadExactlyAsync(head, ct);
        var lengthBytes = Array.Empty<byte>();
        long length = head[1];
        if ((head[1] & 0x80) != 0)
        {
            var count = head[1] & 0x7f;
            if (count is 0 or > 4)
            {
                throw new LdapException("LDAP server sent a length this client does not read");
            }
            lengthBytes = new byte[count];
            await _tls.ReadExactlyAsync(lengthBytes, ct);
            length = lengthBytes.Aggregate(0L, (acc, b) => (acc << 8) | b);
        }
        if (length > 16 * 1024 * 1024)
        {
            throw new LdapException("LDAP server sent a message over 16 MiB");
        }

        var message = new byte[2 + lengthBytes.Length + length];
        head.CopyTo(message, 0);
        lengthBytes.CopyTo(message, 2);
        await _tls.ReadExactlyAsync(message.AsMemory(2 + lengthBytes.Length), ct);
        return message;
    }

    private static LdapEntry ReadEntry(AsnReader entry)
    {
        var dn = Encoding.UTF8.GetString(entry.ReadOctetString());
        var attributes = new List<(string, IReadOnlyList<string>)>();
        var list = entry.ReadSequence();
        while (list.HasData)
        {
            var attribute = list.ReadSequence();
            var type = Encoding.UTF8.GetString(attribute.ReadOctetString());
            var values = new List<string>();
            var set = attribute.ReadSetOf();
            while (set.HasData)
            {
                values.Add(Encoding.UTF8.GetString(set.ReadOctetString()));
            }
            attributes.Add((type, values));
        }
        return new LdapEntry(dn, attributes);
    }

    // LDAPResult (RFC 4511 §4.1.9): resultCode, matchedDN, diagnosticMessage.
    private static void ThrowUnlessSuccess(AsnReader result, string operation)
    {
        var code = (int)new BigInteger(result.ReadEnumeratedBytes().Span, isUnsigned: false, isBigEndian: true);
        _ = result.ReadOctetString();
        var diagnostic = Encoding.UTF8.GetString(result.ReadOctetString());
        if (code != 0)
        {
            throw new LdapException($"LDAP {operation} failed: {ResultName(code)}{(diagnostic.Length > 0 ? " (" + diagnostic + ")" : "")}", code);
        }
    }

    // The names ldap_err2string gives the codes mongod logs most (RFC 4511 Appendix A).
    private static string ResultName(int code) => code switch
    {
        32 => "No such object",
        34 => "Invalid DN syntax",
        48 => "Inappropriate authentication",
        49 => "Invalid credentials",
        50 => "Insufficient access",
        53 => "Server is unwilling to perform",
        _ => $"LDAP result {code}",
    };

    private static string Reason(Exception e) => e switch
    {
        OperationCanceledException => "timed out",
        System.Security.Authentication.AuthenticationException => "TLS: the server certificate is not trusted: " + e.Message,
        _ => e.Message,
    };

    private static CancellationTokenSource Limit(TimeSpan timeout, CancellationToken ct)
    {
        var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        return limit;
    }
}
