using System.Text.RegularExpressions;

namespace HipaaMongo.Entities.Validation;

internal static partial class AuditRules
{
    private const string Path = "spec.audit";
    private static readonly string[] ReservedDatabases = ["admin", "local", "config"];

    public static void Check(AuditSpec? audit, ErrorList errors)
    {
        if (audit is null) return;
        if (!errors.Check(Enum.IsDefined(audit.Profile), Path + ".profile", "audit profile must be Baseline or PHIAccess")) return;
        var namespaces = audit.PhiNamespaces ?? [];
        if (audit.Profile == AuditProfile.PHIAccess)
            errors.Check(namespaces.Count > 0, Path + ".phiNamespaces",
                "audit profile PHIAccess requires at least one entry in phiNamespaces");
        else
            errors.Check(namespaces.Count == 0, Path + ".phiNamespaces",
                "phiNamespaces is used only with audit profile PHIAccess");
        CheckNamespaces(namespaces, errors);
        errors.Check(audit.Path is { Length: <= 200 } p && RelativePathRegex().IsMatch(p), Path + ".path",
            "audit path must be a relative file path on the data volume, without '..' or a leading '/'");
    }

    private static void CheckNamespaces(List<string> namespaces, ErrorList errors)
    {
        errors.Check(namespaces.Count <= 64, Path + ".phiNamespaces", "at most 64 phiNamespaces are allowed");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < namespaces.Count; i++)
        {
            var path = $"{Path}.phiNamespaces[{i}]";
            var name = namespaces[i];
            if (!errors.Check(name is { Length: <= 200 } && PhiNamespaceRegex().IsMatch(name), path,
                    "must be a database (patients) or database.collection (patients.records) of letters, digits, '_' and '-'"))
                continue;
            errors.Check(!ReservedDatabases.Contains(name.Split('.')[0]), path,
                "phiNamespaces must not name the admin, local or config databases");
            errors.Check(seen.Add(name), path, "duplicate PHI namespace");
        }
    }

    [GeneratedRegex(ValidationPatterns.PhiNamespace)]
    private static partial Regex PhiNamespaceRegex();

    [GeneratedRegex(ValidationPatterns.RelativePath)]
    private static partial Regex RelativePathRegex();
}
