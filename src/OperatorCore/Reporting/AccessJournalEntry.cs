using System.Text.Json.Serialization;

namespace HipaaMongo.Operator.Reporting;

/// <summary>One access change as the journal keeps it: when, to which HipaaMongoUser, what, and who asked. Never a credential.</summary>
public sealed record AccessJournalEntry(
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("user")] string User,
    [property: JsonPropertyName("change")] string Change,
    [property: JsonPropertyName("requestedBy")] string RequestedBy,
    [property: JsonPropertyName("requestedAt")] DateTimeOffset? RequestedAt);
