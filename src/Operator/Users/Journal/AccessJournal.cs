using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using HipaaMongo.Entities;
using HipaaMongo.Operator.Reporting;
using HipaaMongo.Operator.Users.Planning;
using k8s.Models;

namespace HipaaMongo.Operator.Users.Journal;

/// <summary>
/// The access journal, pure: each applied grant, revoke, creation, drop, rotation or password change of a user
/// becomes an entry whose requester is read from the HipaaMongoUser's managedFields (the manager and time of the
/// last write that touched its spec, or its rotate annotation), or is the operator's own policy (drift, expiry,
/// grace period, rotation period). The HIPAA Security Rule NPRM's notice of workforce access changes reads it.
/// </summary>
public static class AccessJournal
{
    /// <summary>Entries kept per HipaaMongoUser (the newest); older ones remain in the Events' and the API server's audit trail.</summary>
    public const int MaxEntries = 100;

    public const string Operator = "hipaa-mongo-operator";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static IReadOnlyList<AccessJournalEntry> Entries(HipaaMongoUserResource user, HipaaMongoResource cluster, IEnumerable<AccessOp> applied,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(cluster);
        return [.. applied.Select(op => Entry(user, cluster, op, now))];
    }

    public static AccessJournalEntry Entry(HipaaMongoUserResource user, HipaaMongoResource cluster, AccessOp op, DateTimeOffset now)
    {
        // A custom role is declared in the HipaaMongo's spec.roles, whoever's pass creates it.
        var (by, at) = op is CreateRoleOp && LastWrite(cluster.Metadata, "f:roles") is { } declared ? declared : Requester(user, op);
        return new AccessJournalEntry(now, user.Metadata.Name, op.Describe(), by, at);
    }

    /// <summary>Who asked for <paramref name="op"/>, and when they wrote the request.</summary>
    public static (string By, DateTimeOffset? At) Requester(HipaaMongoUserResource user, AccessOp op)
    {
        ArgumentNullException.ThrowIfNull(user);
        var meta = user.Metadata;
        var why = op switch
        {
            CreateUserOp c => c.Why,
            RevokeRolesOp r => r.Why,
            DropUserOp d => d.Why,
            _ => null,
        };
        if (op is DropUserOp && why?.Contains("was deleted", StringComparison.Ordinal) == true)
            return ($"deletion of HipaaMongoUser {meta.NamespaceProperty}/{meta.Name} (managedFields do not record who deletes; the API server's audit log does)",
                meta.DeletionTimestamp is { } gone ? Utc(gone) : null);
        if (op is CreateUserOp && why?.StartsWith("rotation requested", StringComparison.Ordinal) == true
            && LastWrite(meta, "f:" + UserApiGroup.RotateAnnotation) is { } asked)
            return asked;
        if (op is ChangePasswordOp)
            return ($"whoever changed Secret {user.Spec.Authentication.PasswordSecretRef?.Name} (externally managed password)", null);
        if (op is CreateUserOp { Why: "declared" } or GrantRolesOp || (op is RevokeRolesOp revoke && RemovedFromSpec(user, revoke)))
            return LastWrite(meta, "f:spec") ?? ("unknown (no managedFields entry touches the spec)", null);
        return ($"{Operator} (policy: {why ?? "keep the declared roles"})", null);
    }

    /// <summary>The newest managedFields entry on the main resource (not status) whose fields include <paramref name="field"/>.</summary>
    public static (string By, DateTimeOffset? At)? LastWrite(V1ObjectMeta meta, string field)
    {
        ArgumentNullException.ThrowIfNull(meta);
        var entry = (meta.ManagedFields ?? [])
            .Where(e => string.IsNullOrEmpty(e.Subresource) && e.FieldsV1 is not null
                && JsonSerializer.Serialize(e.FieldsV1).Contains(JsonSerializer.Serialize(field), StringComparison.Ordinal))
            .OrderBy(e => e.Time ?? DateTime.MinValue)
            .LastOrDefault();
        return entry is null ? null : ($"{entry.Manager} ({entry.Operation})", entry.Time is { } t ? Utc(t) : null);
    }

    /// <summary>The stored journal with <paramref name="added"/> appended, the newest <see cref="MaxEntries"/> kept.</summary>
    public static IReadOnlyList<AccessJournalEntry> Append(IReadOnlyList<AccessJournalEntry> stored, IReadOnlyList<AccessJournalEntry> added) =>
        [.. stored.Concat(added).TakeLast(MaxEntries)];

    public static string Serialize(IReadOnlyList<AccessJournalEntry> entries) => JsonSerializer.Serialize(entries, Json);

    /// <summary>A stored journal; an unreadable one (a hand edit) reads as empty rather than failing the pass.</summary>
    public static IReadOnlyList<AccessJournalEntry> Deserialize(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        try
        {
            return JsonSerializer.Deserialize<List<AccessJournalEntry>>(json, Json) ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // A revoke of roles the user held as declared (its last status) follows a spec edit; of roles it never held as
    // declared, an out-of-band grant the operator takes back.
    private static bool RemovedFromSpec(HipaaMongoUserResource user, RevokeRolesOp op) =>
        !op.Why.StartsWith("break-glass", StringComparison.Ordinal)
        && op.Roles.All(role => user.Status?.RolesInEffect?.Contains(role.ToString()) == true);

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
