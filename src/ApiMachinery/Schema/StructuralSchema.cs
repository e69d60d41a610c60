using System.Text.Json.Nodes;

namespace HipaaMongo.ApiMachinery;

/// <summary>A CEL rule that could not be evaluated (unsupported shape or engine error): log it, never treat it as passed.</summary>
/// <param name="Field">Where the rule sits, e.g. <c>spec</c>.</param>
/// <param name="Rule">The rule text.</param>
/// <param name="Reason">Why it was not evaluated.</param>
public sealed record RuleNotEvaluated(string Field, string Rule, string Reason);

/// <summary>Result of <see cref="StructuralSchema.Validate"/>.</summary>
public sealed record SchemaValidationResult(IReadOnlyList<FieldError> Errors, IReadOnlyList<RuleNotEvaluated> NotEvaluated)
{
    /// <summary>True when there are no errors (rules not evaluated are reported separately).</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// kube-apiserver's 422 message: <c>HipaaMongo.hipaa.mongooperator.io "a" is invalid: spec.x: Required value</c>,
    /// several errors in brackets.
    /// </summary>
    public string InvalidMessage(string kind, string group, string name)
    {
        var qualified = string.IsNullOrEmpty(group) ? kind : kind + "." + group;
        var body = Errors.Count == 1 ? Errors[0].ToString() : "[" + string.Join(", ", Errors) + "]";
        return $"{qualified} \"{name}\" is invalid: {body}";
    }
}

/// <summary>
/// A CRD structural schema (<c>openAPIV3Schema</c>): validation with kube-apiserver's messages, defaulting, pruning
/// and CEL <c>x-kubernetes-validations</c>. Thread-safe after construction.
/// </summary>
public sealed class StructuralSchema
{
    private readonly CelRules cel = new();

    private StructuralSchema(JsonObject root) => Root = root;

    /// <summary>The schema JSON as given (a private copy).</summary>
    public JsonObject Root { get; }

    /// <summary>Wraps an openAPIV3Schema. Throws <see cref="ArgumentException"/> when the root is not <c>type: object</c>.</summary>
    public static StructuralSchema FromOpenApi(JsonObject openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        if (Json.AsString(openApiV3Schema["type"]) != "object")
        {
            throw new ArgumentException("spec.validation.openAPIV3Schema.type: Required value: must be object at the root", nameof(openApiV3Schema));
        }

        return new StructuralSchema((JsonObject)openApiV3Schema.DeepClone());
    }

    /// <summary>
    /// Every CEL rule in the schema that the engine cannot compile, so a server can refuse to register the CRD
    /// rather than skip the rule at write time.
    /// </summary>
    public IReadOnlyList<RuleNotEvaluated> UncompilableRules()
    {
        var found = new List<RuleNotEvaluated>();
        CollectRules(Root, "", found);
        return found;
    }

    /// <summary>
    /// Validates an object (root apiVersion/kind/metadata are not checked here). <paramref name="old"/> is the stored
    /// object on update (enables transition rules). CEL rules run only when there are no type errors, as in kube-apiserver.
    /// </summary>
    public SchemaValidationResult Validate(JsonNode? obj, JsonNode? old = null)
    {
        var errors = new List<FieldError>();
        var skipped = new List<RuleNotEvaluated>();
        SchemaValidator.Validate(Root, obj, "", errors);
        if (!errors.Any(e => e.Type is FieldErrorType.TypeInvalid or FieldErrorType.TooMany or FieldErrorType.TooLong))
        {
            CelWalker.Walk(cel, Root, obj, old, old is not null, "", errors, skipped);
        }

        return new SchemaValidationResult(errors, skipped);
    }

    /// <summary>Drops nulls from non-nullable fields and fills <c>default</c>s into missing fields, in place.</summary>
    public void ApplyDefaults(JsonNode? obj) => SchemaDefaulter.Apply(Root, obj);

    /// <summary>
    /// Removes fields the schema does not know, in place; returns their paths (e.g. <c>spec.foo</c>) for
    /// <c>Warning: 299 - "unknown field \"spec.foo\""</c> or the Strict 400.
    /// </summary>
    public IReadOnlyList<string> Prune(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var pruned = new List<string>();
        SchemaPruner.PruneRoot(Root, obj, pruned);
        return pruned;
    }

    private void CollectRules(JsonObject schema, string path, List<RuleNotEvaluated> found)
    {
        foreach (var rule in (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var text = Json.AsString(rule["rule"]) ?? "";
            if (cel.CompileError(text) is { } error)
            {
                found.Add(new RuleNotEvaluated(path, text, "does not compile here: " + error));
            }
        }

        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            if (child is JsonObject c)
            {
                CollectRules(c, FieldValue.Child(path, name), found);
            }
        }

        if (schema["items"] is JsonObject items)
        {
            CollectRules(items, path + "[*]", found);
        }

        if (schema["additionalProperties"] is JsonObject additional)
        {
            CollectRules(additional, path + "[*]", found);
        }
    }
}
