using System.Text;
using System.Text.RegularExpressions;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// Object name syntax with kube-apiserver's messages: k8s.io/apimachinery/pkg/util/validation (IsDNS1123Label,
/// IsDNS1123Subdomain, IsDNS1035Label, MaxLenError, RegexError), pkg/api/validation/generic.go (NameIsDNSSubdomain,
/// NameIsDNSLabel, NameIsDNS1035Label, maskTrailingDash for generateName prefixes) and
/// pkg/api/validation/path (IsValidPathSegmentName, used for RBAC names). Lengths count UTF-8 bytes, as Go's len.
/// </summary>
public static partial class ObjectNames
{
    private const string LabelFormat = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string SubdomainFormat = LabelFormat + "(\\." + LabelFormat + ")*";
    private const string Dns1035Format = "[a-z]([-a-z0-9]*[a-z0-9])?";

    private const string LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

    private const string SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    private const string Dns1035Message =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

    /// <summary>A name rule: the problems of <c>name</c> (empty when valid); <c>prefix</c> marks a generateName.</summary>
    public delegate IReadOnlyList<string> NameRule(string name, bool prefix);

    /// <summary>Most kinds, and every custom resource (apiextensions' customResourceStrategy).</summary>
    public static IReadOnlyList<string> NameIsDnsSubdomain(string name, bool prefix) => IsDns1123Subdomain(Mask(name, prefix));

    /// <summary>Namespace (ValidateNamespaceName) and StatefulSet (ValidateStatefulSetName).</summary>
    public static IReadOnlyList<string> NameIsDnsLabel(string name, bool prefix) => IsDns1123Label(Mask(name, prefix));

    /// <summary>Service (ValidateServiceName, while RelaxedServiceNameValidation is off by default).</summary>
    public static IReadOnlyList<string> NameIsDns1035Label(string name, bool prefix) => IsDns1035Label(Mask(name, prefix));

    /// <summary>RBAC kinds (ValidateRBACName = path.IsValidPathSegmentName): anything that is a safe path segment.</summary>
    public static IReadOnlyList<string> NameIsPathSegment(string name, bool prefix)
    {
        var errors = new List<string>();
        if (!prefix && name is "." or "..")
        {
            errors.Add($"may not be '{name}'");
        }

        foreach (var illegal in (string[])["/", "%"])
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                errors.Add($"may not contain '{illegal}'");
            }
        }

        return errors;
    }

    public static IReadOnlyList<string> IsDns1123Label(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > 63)
        {
            errors.Add(MaxLength(63));
        }

        if (!Dns1123LabelRegex().IsMatch(value))
        {
            errors.Add(Dns1123SubdomainRegex().IsMatch(value)
                ? "must not contain dots" // a valid subdomain within the length: only the dots are wrong
                : RegexError(LabelMessage, LabelFormat, "my-name", "123-abc"));
        }

        return errors;
    }

    public static IReadOnlyList<string> IsDns1123Subdomain(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > 253)
        {
            errors.Add(MaxLength(253));
        }

        if (!Dns1123SubdomainRegex().IsMatch(value))
        {
            errors.Add(RegexError(SubdomainMessage, SubdomainFormat, "example.com"));
        }

        return errors;
    }

    public static IReadOnlyList<string> IsDns1035Label(string value)
    {
        var errors = new List<string>();
        if (Encoding.UTF8.GetByteCount(value) > 63)
        {
            errors.Add(MaxLength(63));
        }

        if (!Dns1035LabelRegex().IsMatch(value))
        {
            errors.Add(RegexError(Dns1035Message, Dns1035Format, "my-name", "abc-123"));
        }

        return errors;
    }

    /// <summary>field.Invalid's text for a name: <c>Invalid value: "x": message</c>.</summary>
    public static string Invalid(string name, string message) => $"Invalid value: {FieldValue.Quote(name)}: {message}";

    private static string MaxLength(int length) => $"must be no more than {length} characters";

    private static string RegexError(string message, string format, params string[] examples) =>
        $"{message} (e.g. {string.Join(" or ", examples.Select(e => $"'{e}', "))}regex used for validation is '{format}')";

    // A generateName may end in '-' since a random suffix follows (maskTrailingDash).
    private static string Mask(string name, bool prefix) =>
        prefix && name.Length > 1 && name.EndsWith('-') ? name[..^2] + "a" : name;

    [GeneratedRegex("^" + LabelFormat + "\\z")]
    private static partial Regex Dns1123LabelRegex();

    [GeneratedRegex("^" + SubdomainFormat + "\\z")]
    private static partial Regex Dns1123SubdomainRegex();

    [GeneratedRegex("^" + Dns1035Format + "\\z")]
    private static partial Regex Dns1035LabelRegex();
}
