using HipaaMongo.Kmip.Transport;
using HipaaMongo.Kmip.Ttlv;

namespace HipaaMongo.Kmip;

/// <summary>
/// The KMIP operations a mongod and an operator use on a master key: create or register it, find it by name,
/// read it and its state, activate, revoke and destroy it. Each call is one request of one batch item; every
/// failure is a <see cref="KmipException"/>.
/// </summary>
public sealed class KmipClient(IKmipTransport transport, KmipVersion? version = null)
{
    private readonly KmipVersion _version = version ?? KmipVersion.Version12;

    public KmipClient(KmipTlsOptions options) : this(new KmipTlsTransport(options)) { }

    /// <summary>Creates an AES-256 key for encryption and decryption, named when a name is given; returns its id.</summary>
    public async Task<string> CreateAes256KeyAsync(string? name = null, CancellationToken cancellationToken = default)
    {
        var attributes = new List<KmipAttribute>
        {
            KmipAttribute.Algorithm(CryptographicAlgorithm.Aes),
            KmipAttribute.Length(256),
            KmipAttribute.UsageMask(CryptographicUsageMask.Encrypt | CryptographicUsageMask.Decrypt),
        };
        if (name is not null)
        {
            attributes.Add(KmipAttribute.ObjectName(name));
        }
        var payload = await SendAsync(Operation.Create, KmipPayloads.Create(attributes), cancellationToken);
        return KmipPayloads.UniqueIdentifier(payload);
    }

    /// <summary>Registers an existing AES key (16, 24 or 32 bytes); returns its id.</summary>
    public async Task<string> RegisterAesKeyAsync(ReadOnlyMemory<byte> key, string? name = null, CancellationToken cancellationToken = default)
    {
        if (key.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException("an AES key is 16, 24 or 32 bytes", nameof(key));
        }
        var attributes = new List<KmipAttribute> { KmipAttribute.UsageMask(CryptographicUsageMask.Encrypt | CryptographicUsageMask.Decrypt) };
        if (name is not null)
        {
            attributes.Add(KmipAttribute.ObjectName(name));
        }
        var payload = await SendAsync(Operation.Register, KmipPayloads.Register(key.Span, CryptographicAlgorithm.Aes, attributes), cancellationToken);
        return KmipPayloads.UniqueIdentifier(payload);
    }

    /// <summary>The ids of every object matching all the filters.</summary>
    public async Task<IReadOnlyList<string>> LocateAsync(IEnumerable<KmipAttribute> filters, CancellationToken cancellationToken = default)
    {
        var payload = await SendAsync(Operation.Locate, KmipPayloads.Locate(filters), cancellationToken);
        return KmipPayloads.Located(payload);
    }

    /// <summary>The ids of the symmetric keys with this name.</summary>
    public Task<IReadOnlyList<string>> LocateByNameAsync(string name, CancellationToken cancellationToken = default) =>
        LocateAsync([KmipAttribute.ObjectType(ObjectType.SymmetricKey), KmipAttribute.ObjectName(name)], cancellationToken);

    public async Task<SymmetricKey> GetSymmetricKeyAsync(string uniqueIdentifier, CancellationToken cancellationToken = default)
    {
        var payload = await SendAsync(Operation.Get, KmipPayloads.ByIdentifier(uniqueIdentifier), cancellationToken);
        return KmipPayloads.SymmetricKey(payload);
    }

    /// <summary>The named attributes of an object, as the server returns them.</summary>
    public async Task<IReadOnlyList<KmipAttribute>> GetAttributesAsync(string uniqueIdentifier, IEnumerable<string> names, CancellationToken cancellationToken = default)
    {
        var payload = await SendAsync(Operation.GetAttributes, KmipPayloads.GetAttributes(uniqueIdentifier, names), cancellationToken);
        return KmipPayloads.Attributes(payload);
    }

    /// <summary>The key's life-cycle state (3.22), which mongod checks before using a master key.</summary>
    public async Task<KeyState> GetStateAsync(string uniqueIdentifier, CancellationToken cancellationToken = default)
    {
        var attributes = await GetAttributesAsync(uniqueIdentifier, ["State"], cancellationToken);
        var state = attributes.FirstOrDefault(a => a.Name == "State")
            ?? throw new KmipException($"the server returned no State for object {uniqueIdentifier}");
        return (KeyState)state.Value.EnumValue;
    }

    public Task ActivateAsync(string uniqueIdentifier, CancellationToken cancellationToken = default) =>
        SendAsync(Operation.Activate, KmipPayloads.ByIdentifier(uniqueIdentifier), cancellationToken);

    public Task RevokeAsync(string uniqueIdentifier, RevocationReasonCode reason, string? message = null, DateTimeOffset? compromisedAt = null, CancellationToken cancellationToken = default) =>
        SendAsync(Operation.Revoke, KmipPayloads.Revoke(uniqueIdentifier, reason, message, compromisedAt), cancellationToken);

    public Task DestroyAsync(string uniqueIdentifier, CancellationToken cancellationToken = default) =>
        SendAsync(Operation.Destroy, KmipPayloads.ByIdentifier(uniqueIdentifier), cancellationToken);

    private async Task<TtlvItem> SendAsync(Operation operation, TtlvItem payload, CancellationToken cancellationToken)
    {
        var request = TtlvWriter.Encode(KmipMessages.Request(_version, operation, payload));
        var response = await transport.RoundTripAsync(request, cancellationToken);
        return KmipMessages.ResponsePayload(TtlvReader.Decode(response), operation);
    }
}
