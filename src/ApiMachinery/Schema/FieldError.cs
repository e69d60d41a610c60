namespace HipaaMongo.ApiMachinery;

/// <summary>Kinds of field errors (k8s.io/apimachinery/pkg/util/validation/field.ErrorType).</summary>
public enum FieldErrorType
{
    Required,
    Invalid,
    NotSupported,
    TooLong,
    TooMany,
    Duplicate,
    Forbidden,
    TypeInvalid,
}

/// <summary>
/// One validation error. <see cref="ToString"/> is the kube-apiserver text (<c>spec.x: Required value</c>);
/// <see cref="Reason"/> and <see cref="Field"/> fill a Status cause; <see cref="Message"/> is the cause message.
/// </summary>
public sealed record FieldError(FieldErrorType Type, string Field, string? BadValue, string Detail)
{
    /// <summary>The StatusCause reason (<c>FieldValueRequired</c>, <c>FieldValueInvalid</c>, ...).</summary>
    public string Reason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        _ => "FieldValueInvalid",
    };

    /// <summary>The error without the field prefix, as in a StatusCause message.</summary>
    public string Message
    {
        get
        {
            var head = Type switch
            {
                FieldErrorType.Required => "Required value",
                FieldErrorType.NotSupported => $"Unsupported value: {BadValue}",
                FieldErrorType.TooLong => "Too long",
                FieldErrorType.TooMany => $"Too many: {BadValue}",
                FieldErrorType.Duplicate => $"Duplicate value: {BadValue}",
                FieldErrorType.Forbidden => "Forbidden",
                FieldErrorType.TypeInvalid => $"Invalid value: {BadValue}",
                _ => $"Invalid value: {BadValue}",
            };
            return string.IsNullOrEmpty(Detail) ? head : $"{head}: {Detail}";
        }
    }

    /// <summary><c>field: message</c>, exactly as kube-apiserver prints it inside a 422 message.</summary>
    public override string ToString() => $"{Field}: {Message}";
}
