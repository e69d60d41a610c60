using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>One field another manager owns with a different value (SSA conflict).</summary>
/// <param name="Manager">The managedFields entry that owns the field.</param>
/// <param name="Field">The field path as kube-apiserver prints it, e.g. <c>.spec.members</c>.</param>
public sealed record ApplyConflict(ManagerIdentity Manager, string Field)
{
    /// <summary>The cause message: <c>conflict with "m" using v1</c> (<c>StatusCause.message</c>, reason FieldManagerConflict).</summary>
    public string Message => $"conflict with {Manager.Describe()}";
}

/// <summary>Identity of a managedFields entry, printed as apiserver's <c>printManager</c> does.</summary>
public sealed record ManagerIdentity(string Manager, string Operation, string? ApiVersion, string? Time, string? Subresource)
{
    /// <summary><c>"m"</c>, plus <c> with subresource "status"</c>, plus <c> using v1 at TIME</c> for Update entries.</summary>
    public string Describe()
    {
        var text = $"\"{Manager}\"";
        if (!string.IsNullOrEmpty(Subresource))
        {
            text += $" with subresource \"{Subresource}\"";
        }

        if (Operation != "Update")
        {
            return text;
        }

        return Time is null ? $"{text} using {ApiVersion}" : $"{text} using {ApiVersion} at {Time}";
    }
}

/// <summary>Outcome of a server-side apply.</summary>
/// <param name="Merged">The new object (managedFields included). When there are conflicts it is a copy of the live object.</param>
/// <param name="Conflicts">Empty on success; otherwise answer 409 (reason Conflict) with <see cref="ConflictMessage"/>.</param>
public sealed record ApplyResult(JsonObject Merged, IReadOnlyList<ApplyConflict> Conflicts)
{
    /// <summary>True when the apply was refused.</summary>
    public bool HasConflicts => Conflicts.Count > 0;

    /// <summary>kube-apiserver's 409 message (<c>getConflictMessage</c> in apimachinery's managedfields).</summary>
    public string ConflictMessage
    {
        get
        {
            if (Conflicts.Count == 1)
            {
                return $"Apply failed with 1 conflict: {Conflicts[0].Message}: {Conflicts[0].Field}";
            }

            var lines = Conflicts.GroupBy(c => c.Manager.Describe()).OrderBy(g => g.Key, StringComparer.Ordinal)
                .SelectMany(g => g.Select(c => "- " + c.Field).Prepend($"conflicts with {g.Key}:"));
            return $"Apply failed with {Conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }
    }
}
