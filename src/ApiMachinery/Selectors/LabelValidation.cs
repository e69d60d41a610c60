using System.Text.RegularExpressions;

namespace HipaaMongo.ApiMachinery;

/// <summary>Label key and value syntax (k8s.io/apimachinery/pkg/util/validation), with its messages.</summary>
internal static partial class LabelValidation
{
    private const string NameMessage =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric " +
        "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string ValueMessage =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and " +
        "end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is " +
        "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    internal static void ValidateKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var prefix = slash >= 0 ? key[..slash] : null;
        var name = slash >= 0 ? key[(slash + 1)..] : key;
        var errors = new List<string>();
        if (prefix is not null && (prefix.Length == 0 || prefix.Length > 253 || !Dns1123Subdomain().IsMatch(prefix)))
        {
            errors.Add(prefix.Length == 0 ? "prefix part must be non-empty" : "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }

        if (name.Length == 0)
        {
            errors.Add("name part must be non-empty");
        }
        else if (name.Length > 63)
        {
            errors.Add("name part must be no more than 63 characters");
        }
        else if (!QualifiedName().IsMatch(name))
        {
            errors.Add(NameMessage);
        }

        if (errors.Count > 0)
        {
            throw new SelectorException($"key: Invalid value: \"{key}\": {string.Join("; ", errors)}");
        }
    }

    internal static void ValidateValue(string value, int index)
    {
        if (value.Length > 63)
        {
            throw new SelectorException($"values[{index}][key]: Invalid value: \"{value}\": must be no more than 63 characters");
        }

        if (!LabelValue().IsMatch(value))
        {
            throw new SelectorException($"values[{index}][key]: Invalid value: \"{value}\": {ValueMessage}");
        }
    }

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();
}
