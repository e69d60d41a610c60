using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace HipaaMongo.Operator.Identity;

/// <summary>A client identity with its private key (the caller disposes it) and the CA PEM, or why there is none.</summary>
public sealed record IdentityResult(X509Certificate2? Certificate, string? CaPem, string? Problem);

/// <summary>
/// The operator's and the verifier's client identities, obtained through cert-manager CertificateRequests. The key
/// is generated here and never leaves this process: no Secret holds it, so nobody who can read Secrets can act as the
/// operator. The certificate and CA come from the request's status; a request is deleted once its certificate is
/// taken (the certificate is public, the request has served). An identity is renewed at two thirds of its lifetime
/// (<see cref="IdentityRenewal"/>); until the new one is issued the current one is used. A Denied or Failed request
/// gives one line naming the request and cert-manager's message, and a new request only after
/// <see cref="RetryAfterFailure"/>, so a refusing approver is not flooded. A restart starts with no identities and
/// requests new ones.
/// </summary>
public sealed class CertificateRequestIdentities(IKubernetes client, TimeProvider clock, ILogger<CertificateRequestIdentities> logger)
{
    private const string Group = "cert-manager.io";
    private const string Version = "v1";
    private const string Plural = "certificaterequests";

    /// <summary>How long a pass waits for a new request to be signed before it reports "waiting" and goes on.</summary>
    public static readonly TimeSpan InlineWait = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Slot> _slots = new();

    /// <summary>The identity for <paramref name="spec"/>: held, renewed, or requested now.</summary>
    public async Task<IdentityResult> GetAsync(ClientIdentitySpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var slot = _slots.GetOrAdd(spec.Key, _ => new Slot());
        await slot.Lock.WaitAsync(ct);
        try
        {
            return await GetLockedAsync(spec, slot, ct);
        }
        finally
        {
            slot.Lock.Release();
        }
    }

    /// <summary>
    /// Renews the identity at the next <see cref="GetAsync"/> whatever its lifetime (the CA changed, so a certificate of
    /// the current CA is wanted); the held one is still used until the new one is issued.
    /// </summary>
    public void RenewNow(ClientIdentitySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var slot = _slots.GetOrAdd(spec.Key, _ => new Slot());
        slot.RenewRequested = true;
    }

    private async Task<IdentityResult> GetLockedAsync(ClientIdentitySpec spec, Slot slot, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (slot.Held is { } held && !slot.RenewRequested && !IdentityRenewal.Due(held.NotBefore, held.NotAfter, now))
        {
            return held.Result();
        }
        var justRequested = false;
        if (slot.Pending is null)
        {
            if (slot.FailedUntil > now)
            {
                return Fallback(slot, now, slot.LastProblem!);
            }
            slot.Pending = await RequestAsync(spec, ct);
            justRequested = true;
        }
        // Only a request made now is waited for; one still pending from an earlier pass (an approver that takes its
        // time) is looked at once, so a pass never blocks on it again.
        var outcome = await WaitAsync(spec, slot.Pending, justRequested ? InlineWait : TimeSpan.Zero, ct);
        return outcome.State switch
        {
            RequestState.Issued => await TakeAsync(spec, slot, outcome, ct),
            RequestState.Denied or RequestState.Failed => Refused(spec, slot, outcome, now),
            _ => Fallback(slot, now, $"waiting for CertificateRequest {spec.Namespace}/{slot.Pending.Name}: {outcome.Message}"),
        };
    }

    private async Task<PendingRequest> RequestAsync(ClientIdentitySpec spec, CancellationToken ct)
    {
        var key = IdentityRequest.NewKey();
        var name = IdentityRequest.Name(spec);
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(IdentityRequest.Object(spec, name, IdentityRequest.Csr(spec, key)),
            Group, Version, spec.Namespace, Plural, cancellationToken: ct);
        logger.LogInformation("Requested the {Role} identity of {Namespace}/{Owner} with CertificateRequest {Request}",
            spec.Role, spec.Namespace, spec.Owner, name);
        return new PendingRequest(name, key);
    }

    // Polls the request a few seconds (cert-manager signs in well under a second); the next pass looks again.
    private async Task<RequestOutcome> WaitAsync(ClientIdentitySpec spec, PendingRequest pending, TimeSpan wait, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var cr = await ReadAsync(spec.Namespace, pending.Name, ct);
            var outcome = cr is { } found ? RequestOutcome.Read(found)
                : new RequestOutcome(RequestState.Failed, "the CertificateRequest was deleted before it was issued");
            if (outcome.State != RequestState.Waiting || DateTime.UtcNow >= deadline)
            {
                return outcome;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    private async Task<IdentityResult> TakeAsync(ClientIdentitySpec spec, Slot slot, RequestOutcome outcome, CancellationToken ct)
    {
        var pending = slot.Pending!;
        slot.Pending = null;
        X509Certificate2 leaf;
        try
        {
            leaf = X509Certificate2.CreateFromPem(outcome.CertificatePem);
        }
        catch (CryptographicException)
        {
            pending.Key.Dispose();
            return Refused(spec, slot, new RequestOutcome(RequestState.Failed, "status.certificate is not a PEM certificate"), clock.GetUtcNow());
        }
        using (leaf)
        {
            if (leaf.GetECDsaPublicKey() is not { } pub || !pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(pending.Key.ExportSubjectPublicKeyInfo()))
            {
                pending.Key.Dispose();
                return Refused(spec, slot, new RequestOutcome(RequestState.Failed, "the issued certificate is not for the requested key"), clock.GetUtcNow());
            }
            slot.Replace(new HeldIdentity(leaf.CopyWithPrivateKey(pending.Key), pending.Key, outcome.CaPem ?? ""));
        }
        await DeleteAsync(spec.Namespace, pending.Name, ct);
        logger.LogInformation("Obtained the {Role} identity of {Namespace}/{Owner} from CertificateRequest {Request}, valid until {NotAfter:o}",
            spec.Role, spec.Namespace, spec.Owner, pending.Name, slot.Held!.NotAfter);
        return slot.Held.Result();
    }

    private IdentityResult Refused(ClientIdentitySpec spec, Slot slot, RequestOutcome outcome, DateTimeOffset now)
    {
        var name = slot.Pending?.Name;
        slot.Pending?.Key.Dispose();
        slot.Pending = null;
        slot.FailedUntil = now + RetryAfterFailure;
        slot.LastProblem = $"CertificateRequest {spec.Namespace}/{name} for the {spec.Role.ToString().ToLowerInvariant()} identity was " +
            $"{(outcome.State == RequestState.Denied ? "denied" : "not issued")}: {outcome.Message}";
        logger.LogWarning("{Problem}; a new request in {Retry}", slot.LastProblem, RetryAfterFailure);
        return Fallback(slot, now, slot.LastProblem);
    }

    // A held identity that has not expired is still used while its renewal waits or was refused.
    private static IdentityResult Fallback(Slot slot, DateTimeOffset now, string problem) =>
        slot.Held is { } held && now < held.NotAfter ? held.Result() : new IdentityResult(null, null, problem);

    private async Task<JsonElement?> ReadAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            var body = await client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(Group, Version, ns, Plural, name, cancellationToken: ct);
            return body;
        }
        catch (HttpOperationException e) when (e.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task DeleteAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            using var _ = await client.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(Group, Version, ns, Plural, name, cancellationToken: ct);
        }
        catch (HttpOperationException e)
        {
            // Harmless: it holds no secret and goes with its owner.
            logger.LogInformation("CertificateRequest {Namespace}/{Name} not deleted ({Code})", ns, name, (int?)e.Response?.StatusCode);
        }
    }

    private sealed record PendingRequest(string Name, ECDsa Key);

    private sealed class HeldIdentity(X509Certificate2 certificate, ECDsa key, string caPem)
    {
        public DateTimeOffset NotBefore { get; } = new(certificate.NotBefore.ToUniversalTime());

        public DateTimeOffset NotAfter { get; } = new(certificate.NotAfter.ToUniversalTime());

        // A copy per caller, with the key: the caller disposes its copy, the held one stays.
        public IdentityResult Result()
        {
            using var publicOnly = X509CertificateLoader.LoadCertificate(certificate.RawData);
            return new IdentityResult(publicOnly.CopyWithPrivateKey(key), caPem, null);
        }

        public void Dispose()
        {
            certificate.Dispose();
            key.Dispose();
        }
    }

    private sealed class Slot
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        public HeldIdentity? Held { get; private set; }

        public PendingRequest? Pending { get; set; }

        public DateTimeOffset FailedUntil { get; set; }

        public string? LastProblem { get; set; }

        public bool RenewRequested { get; set; }

        public void Replace(HeldIdentity next)
        {
            Held?.Dispose();
            Held = next;
            RenewRequested = false;
            FailedUntil = default;
            LastProblem = null;
        }
    }
}
