using HipaaMongo.Entities;
using HipaaMongo.Entities.Serialization;
using HipaaMongo.Entities.Validation;

namespace HipaaMongo.Operator.Cli;

/// <summary>The outcome of loading a manifest for the CLI: a valid resource, or problems and an exit code.</summary>
internal sealed record LoadResult(HipaaMongoResource? Resource, IReadOnlyList<ValidationError> Problems, int ExitCode);

/// <summary>
/// Reads a HipaaMongo manifest from a file or stdin, parses it strictly (HipaaMongoYaml) and
/// validates it (HipaaMongoValidator). Unreadable or malformed input is exit code 2; a manifest
/// that parses but breaks a rule (including unknown fields) is exit code 1.
/// </summary>
internal static class SpecLoader
{
    public static LoadResult Load(string path, Func<TextReader> stdin)
    {
        string text;
        try
        {
            text = path == "-" ? stdin().ReadToEnd() : File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return new LoadResult(null, [new ValidationError("", $"cannot read the file: {Describe(ex)}")], CliApp.BadInput);
        }

        var parsed = HipaaMongoYaml.Parse(text);
        if (!parsed.Success)
        {
            // Errors without a field path are about the document itself (YAML syntax, size, shape).
            var malformed = parsed.Errors.All(e => string.IsNullOrEmpty(e.FieldPath));
            return new LoadResult(null, parsed.Errors, malformed ? CliApp.BadInput : CliApp.InvalidSpec);
        }

        var errors = HipaaMongoValidator.Validate(parsed.Resource!, null);
        return errors.Count == 0
            ? new LoadResult(parsed.Resource, [], CliApp.Ok)
            : new LoadResult(null, errors, CliApp.InvalidSpec);
    }

    private static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        _ => ex.GetType().Name,
    };
}
