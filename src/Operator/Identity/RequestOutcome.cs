using System.Text;
using System.Text.Json;

namespace HipaaMongo.Operator.Identity;

/// <summary>Where a CertificateRequest stands, read from its status the way cert-manager writes it.</summary>
public enum RequestState
{
    Waiting,
    Issued,
    Denied,
    Failed,
}

/// <summary>
/// A CertificateRequest's status, read (pure): Ready True with reason Issued and status.certificate set is issued;
/// a Denied condition (True) or Ready reason Denied is denied; Ready reason Failed is failed; anything else waits.
/// Condition types and reasons: cert-manager pkg/apis/certmanager/v1/types_certificaterequest.go.
/// </summary>
public sealed record RequestOutcome(RequestState State, string Message, string? CertificatePem = null, string? CaPem = null)
{
    public static RequestOutcome Read(JsonElement cr)
    {
        if (!cr.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
        {
            return new(RequestState.Waiting, "not approved yet");
        }
        var ready = Condition(status, "Ready");
        var denied = Condition(status, "Denied");
        if (denied is { Status: "True" } || ready?.Reason == "Denied")
        {
            return new(RequestState.Denied, denied?.Message ?? ready?.Message ?? "denied");
        }
        if (ready is { Status: "False", Reason: "Failed" })
        {
            return new(RequestState.Failed, ready.Message ?? "failed");
        }
        if (ready is { Status: "True" } && Pem(status, "certificate") is { } certificate)
        {
            return new(RequestState.Issued, ready.Message ?? "", certificate, Pem(status, "ca"));
        }
        if (Condition(status, "Approved") is null)
        {
            return new(RequestState.Waiting, "not approved yet");
        }
        return new(RequestState.Waiting, ready?.Message ?? "approved, not signed yet");
    }

    private sealed record Cond(string? Status, string? Reason, string? Message);

    private static Cond? Condition(JsonElement status, string type)
    {
        if (!status.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
        {
            return null;
        }
        foreach (var c in conditions.EnumerateArray())
        {
            if (c.TryGetProperty("type", out var t) && t.GetString() == type)
            {
                return new(Text(c, "status"), Text(c, "reason"), Text(c, "message"));
            }
        }
        return null;
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    // status.certificate and status.ca are `format: byte`: base64 of PEM on the wire.
    private static string? Pem(JsonElement status, string name) =>
        status.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.TryGetBytesFromBase64(out var bytes) && bytes.Length > 0
            ? Encoding.ASCII.GetString(bytes)
            : null;
}
