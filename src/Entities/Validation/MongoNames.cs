namespace HipaaMongo.Entities.Validation;

/// <summary>Role, database and user names as the API accepts them (the same sets as ValidationPatterns).</summary>
internal static partial class Names
{
    public static bool IsRoleName(string? name) =>
        name is { Length: > 0 and <= 128 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    public static bool IsDatabaseName(string? name) =>
        name is { Length: > 0 and <= 63 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    public static bool IsUsername(string? name) =>
        name is { Length: > 0 and <= 64 } && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
}
