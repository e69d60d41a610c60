using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HipaaMongo.ApiMachinery;

/// <summary>
/// OpenAPI v3 value validation of a structural schema with kube-apiserver's error forms
/// (apiextensions-apiserver validation.go over kube-openapi's validate package).
/// </summary>
internal static class SchemaValidator
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(200);

    internal static void Validate(JsonObject schema, JsonNode? value, string path, List<FieldError> errors)
    {
        if (value is null)
        {
            if (!Json.IsTrue(schema["nullable"]) && Json.AsString(schema["type"]) is { } t)
            {
                errors.Add(new FieldError(FieldErrorType.TypeInvalid, path, "\"null\"", $"{path} in body must be of type {t}: \"null\""));
            }

            return;
        }

        if (!CheckType(schema, value, path, errors))
        {
            return;
        }

        CheckEnum(schema, value, path, errors);
        switch (value)
        {
            case JsonObject obj:
                ValidateObject(schema, obj, path, errors);
                break;
            case JsonArray arr:
                ValidateArray(schema, arr, path, errors);
                break;
            default:
                ValidateScalar(schema, value, path, errors);
                break;
        }
    }

    private static bool CheckType(JsonObject schema, JsonNode value, string path, List<FieldError> errors)
    {
        var actual = FieldValue.TypeName(value);
        if (Json.IsTrue(schema["x-kubernetes-int-or-string"]))
        {
            if (actual is "integer" or "string")
            {
                return true;
            }

            errors.Add(new FieldError(FieldErrorType.TypeInvalid, path, FieldValue.Quote(actual), $"{path} in body must be of type integer,string: {FieldValue.Quote(actual)}"));
            return false;
        }

        var expected = Json.AsString(schema["type"]);
        if (expected is null || expected == actual || (expected == "number" && actual == "integer"))
        {
            return true;
        }

        errors.Add(new FieldError(FieldErrorType.TypeInvalid, path, FieldValue.Quote(actual), $"{path} in body must be of type {expected}: {FieldValue.Quote(actual)}"));
        return false;
    }

    private static void CheckEnum(JsonObject schema, JsonNode value, string path, List<FieldError> errors)
    {
        if (schema["enum"] is not JsonArray allowed || allowed.Any(a => Json.DeepEquals(a, value)))
        {
            return;
        }

        var supported = string.Join(", ", allowed.Select(a => FieldValue.Quote(Json.AsString(a) ?? Json.Text(a))));
        errors.Add(new FieldError(FieldErrorType.NotSupported, path, FieldValue.Show(value), "supported values: " + supported));
    }

    private static void ValidateObject(JsonObject schema, JsonObject obj, string path, List<FieldError> errors)
    {
        foreach (var name in (schema["required"] as JsonArray ?? []).Select(Json.AsString).OfType<string>())
        {
            if (!obj.ContainsKey(name))
            {
                errors.Add(new FieldError(FieldErrorType.Required, FieldValue.Child(path, name), null, ""));
            }
        }

        var props = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        foreach (var (key, child) in obj)
        {
            if (path.Length == 0 && key is "apiVersion" or "kind" or "metadata")
            {
                continue; // checked by the apiserver's ObjectMeta rules, not the CRD schema
            }

            if (props?[key] is JsonObject childSchema)
            {
                Validate(childSchema, child, FieldValue.Child(path, key), errors);
            }
            else if (additional is not null)
            {
                Validate(additional, child, FieldValue.Key(path, key), errors);
            }
        }

        CheckCount(schema, obj.Count, "minProperties", "maxProperties", "properties", path, errors);
    }

    private static void ValidateArray(JsonObject schema, JsonArray arr, string path, List<FieldError> errors)
    {
        if (schema["maxItems"] is { } max && Json.TryDecimal(max, out var maxItems) && arr.Count > maxItems)
        {
            errors.Add(new FieldError(FieldErrorType.TooMany, path, arr.Count.ToString(CultureInfo.InvariantCulture), $"must have at most {maxItems} items"));
        }

        if (schema["minItems"] is { } min && Json.TryDecimal(min, out var minItems) && arr.Count < minItems)
        {
            errors.Add(new FieldError(FieldErrorType.Invalid, path, FieldValue.Show(arr), $"{path} in body should have at least {minItems} items"));
        }

        if (schema["items"] is JsonObject items)
        {
            for (var i = 0; i < arr.Count; i++)
            {
                Validate(items, arr[i], FieldValue.Index(path, i), errors);
            }
        }

        CheckUniqueness(schema, arr, path, errors);
    }

    private static void CheckUniqueness(JsonObject schema, JsonArray arr, string path, List<FieldError> errors)
    {
        var listType = Json.AsString(schema["x-kubernetes-list-type"]);
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(Json.AsString).OfType<string>().ToArray();
        if (listType is not ("set" or "map") && !Json.IsTrue(schema["uniqueItems"]))
        {
            return;
        }

        var seen = new List<JsonNode?>();
        for (var i = 0; i < arr.Count; i++)
        {
            JsonNode? identity = listType == "map" && arr[i] is JsonObject o
                ? new JsonObject(keys.Select(k => KeyValuePair.Create(k, Json.Clone(o[k]))))
                : arr[i];
            if (seen.Any(s => Json.DeepEquals(s, identity)))
            {
                errors.Add(new FieldError(FieldErrorType.Duplicate, FieldValue.Index(path, i), FieldValue.Show(identity), ""));
            }

            seen.Add(identity);
        }
    }

    private static void ValidateScalar(JsonObject schema, JsonNode value, string path, List<FieldError> errors)
    {
        if (Json.AsString(value) is { } s)
        {
            ValidateString(schema, s, value, path, errors);
            return;
        }

        if (!Json.TryDecimal(value, out var n))
        {
            return;
        }

        var exclusiveMin = Json.IsTrue(schema["exclusiveMinimum"]);
        var exclusiveMax = Json.IsTrue(schema["exclusiveMaximum"]);
        if (Json.TryDecimal(schema["minimum"], out var minimum) && (exclusiveMin ? n <= minimum : n < minimum))
        {
            var rel = exclusiveMin ? "greater than" : "greater than or equal to";
            errors.Add(new FieldError(FieldErrorType.Invalid, path, FieldValue.Show(value), $"{path} in body should be {rel} {Json.Text(schema["minimum"])}"));
        }

        if (Json.TryDecimal(schema["maximum"], out var maximum) && (exclusiveMax ? n >= maximum : n > maximum))
        {
            var rel = exclusiveMax ? "less than" : "less than or equal to";
            errors.Add(new FieldError(FieldErrorType.Invalid, path, FieldValue.Show(value), $"{path} in body should be {rel} {Json.Text(schema["maximum"])}"));
        }

        if (Json.TryDecimal(schema["multipleOf"], out var multiple) && multiple != 0 && n % multiple != 0)
        {
            errors.Add(new FieldError(FieldErrorType.Invalid, path, FieldValue.Show(value), $"{path} in body should be a multiple of {Json.Text(schema["multipleOf"])}"));
        }
    }

    private static void ValidateString(JsonObject schema, string s, JsonNode value, string path, List<FieldError> errors)
    {
        var length = s.EnumerateRunes().Count();
        if (schema["maxLength"] is { } max && Json.TryDecimal(max, out var maxLength) && length > maxLength)
        {
            errors.Add(new FieldError(FieldErrorType.TooLong, path, FieldValue.Show(value), $"may not be more than {maxLength} bytes"));
        }

        if (schema["minLength"] is { } min && Json.TryDecimal(min, out var minLength) && length < minLength)
        {
            errors.Add(new FieldError(FieldErrorType.Invalid, path, FieldValue.Show(value), $"{path} in body should be at least {minLength} chars long"));
        }

        if (Json.AsString(schema["pattern"]) is { } pattern && !Matches(pattern, s))
        {
            errors.Add(new FieldError(FieldErrorType.Invalid, path, FieldValue.Show(value), $"{path} in body should match '{pattern}'"));
        }

        if (Json.AsString(schema["format"]) is { } format && !SchemaFormats.IsValid(format, s))
        {
            errors.Add(new FieldError(FieldErrorType.TypeInvalid, path, FieldValue.Show(value), $"{path} in body must be of type {format}: {FieldValue.Quote(s)}"));
        }
    }

    private static bool Matches(string pattern, string s)
    {
        try
        {
            return Regex.IsMatch(s, pattern, RegexOptions.None, RegexTimeout);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static void CheckCount(JsonObject schema, int count, string minName, string maxName, string noun, string path, List<FieldError> errors)
    {
        if (Json.TryDecimal(schema[maxName], out var max) && count > max)
        {
            errors.Add(new FieldError(FieldErrorType.TooMany, path, count.ToString(CultureInfo.InvariantCulture), $"must have at most {max} {noun}"));
        }

        if (Json.TryDecimal(schema[minName], out var min) && count < min)
        {
            errors.Add(new FieldError(FieldErrorType.Invalid, path, count.ToString(CultureInfo.InvariantCulture), $"{path} in body should have at least {min} {noun}"));
        }
    }
}
