using System.Text.RegularExpressions;

namespace HipaaMongo.Entities.Validation;

/// <summary>
/// The spec rules, pure: the same rules as the CRD's CEL (same messages) plus what CEL cannot say
/// (host:port and quantity parsing, version and size transitions). It never corrects a spec; it refuses it.
/// </summary>
public static partial class HipaaMongoValidator
{
    /// <summary>Validates a spec; <paramref name="old"/> is the stored spec on update, null on create.</summary>
    public static IReadOnlyList<ValidationError> Validate(HipaaMongoSpec spec, HipaaMongoSpec? old)
    {
        var errors = new ErrorList();
        if (spec is null)
        {
            errors.Add("spec", "spec is required");
            return errors.Items;
        }

        CoreRules.Check(spec, old, errors);
        TlsRules.Check(spec.Tls, errors);
        EncryptionRules.Check(spec.Encryption, old?.Encryption, errors);
        AuditRules.Check(spec.Audit, errors);
        LdapRules.Check(spec.Ldap, spec.Roles, errors);
        NetworkRules.Check(spec.Network, errors);
        RoleRules.Check(spec.Roles, errors);
        return errors.Items;
    }

    /// <summary>Validates a whole resource: its name (it prefixes child object names) and its spec.</summary>
    public static IReadOnlyList<ValidationError> Validate(HipaaMongoResource resource, HipaaMongoResource? old)
    {
        var errors = new List<ValidationError>();
        var name = resource.Metadata?.Name;
        if (name is { Length: > MaxNameLength })
            errors.Add(new ValidationError("metadata.name", NameTooLongMessage));
        if (name is not null && !NameRegex().IsMatch(name))
            errors.Add(new ValidationError("metadata.name", NameNotLabelMessage));
        errors.AddRange(Validate(resource.Spec, old?.Spec));
        return errors;
    }

    public const int MaxNameLength = 40;

    public const string NameTooLongMessage =
        "metadata.name must be at most 40 characters: it prefixes member Pod, Service and Certificate names";

    /// <summary>A DNS-1035 label: the name prefixes the members' Service (DNS-1035) and StatefulSet (DNS-1123 label).</summary>
    public const string NamePattern = "^[a-z]([-a-z0-9]*[a-z0-9])?$";

    public const string NameNotLabelMessage =
        "metadata.name must start with a lowercase letter and hold only lowercase letters, digits and '-', ending with a letter or digit: it prefixes the members' Service and StatefulSet names, which must be DNS labels";

    [GeneratedRegex(NamePattern)]
    private static partial Regex NameRegex();
}
