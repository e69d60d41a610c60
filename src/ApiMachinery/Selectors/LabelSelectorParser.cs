using System.Globalization;
using System.Text.Json.Nodes;
using T = HipaaMongo.ApiMachinery.SelectorToken;

namespace HipaaMongo.ApiMachinery;

/// <summary>The recursive-descent parser of k8s.io/apimachinery/pkg/labels/selector.go, with its error texts.</summary>
internal sealed class LabelSelectorParser
{
    private readonly List<(T Token, string Literal)> items;
    private int position;

    private LabelSelectorParser(List<(T, string)> items) => this.items = items;

    internal static LabelSelector Parse(string text)
    {
        var parser = new LabelSelectorParser(LabelSelectorLexer.Scan(text));
        var requirements = parser.ParseAll();
        return new LabelSelector(requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray());
    }

    internal static LabelSelector FromJson(JsonObject? selector)
    {
        if (selector is null)
        {
            return new LabelSelector([], matchesNothing: true);
        }

        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            requirements.Add(Validated(key, SelectorOperator.Equals, [Json.AsString(value) ?? ""]));
        }

        foreach (var expr in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            requirements.Add(FromExpression(expr));
        }

        return new LabelSelector(requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray());
    }

    internal static bool Matches(LabelRequirement r, IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(r.Key, out var value);
        return r.Operator switch
        {
            SelectorOperator.Equals or SelectorOperator.DoubleEquals or SelectorOperator.In => has && r.Values.Contains(value!),
            SelectorOperator.NotEquals or SelectorOperator.NotIn => !has || !r.Values.Contains(value!),
            SelectorOperator.Exists => has,
            SelectorOperator.DoesNotExist => !has,
            SelectorOperator.GreaterThan => has && long.TryParse(value, out var gt) && gt > long.Parse(r.Values[0], CultureInfo.InvariantCulture),
            SelectorOperator.LessThan => has && long.TryParse(value, out var lt) && lt < long.Parse(r.Values[0], CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    internal static string Print(LabelSelector selector) => string.Join(",", selector.Requirements.Select(Print));

    private static string Print(LabelRequirement r) => r.Operator switch
    {
        SelectorOperator.Equals => $"{r.Key}={r.Values[0]}",
        SelectorOperator.DoubleEquals => $"{r.Key}=={r.Values[0]}",
        SelectorOperator.NotEquals => $"{r.Key}!={r.Values[0]}",
        SelectorOperator.In => $"{r.Key} in ({string.Join(",", r.Values.Order(StringComparer.Ordinal))})",
        SelectorOperator.NotIn => $"{r.Key} notin ({string.Join(",", r.Values.Order(StringComparer.Ordinal))})",
        SelectorOperator.GreaterThan => $"{r.Key}>{r.Values[0]}",
        SelectorOperator.LessThan => $"{r.Key}<{r.Values[0]}",
        SelectorOperator.Exists => r.Key,
        _ => "!" + r.Key,
    };

    private static LabelRequirement FromExpression(JsonObject expr)
    {
        var key = Json.AsString(expr["key"]) ?? "";
        var values = (expr["values"] as JsonArray ?? []).Select(v => Json.AsString(v) ?? "").ToArray();
        var op = Json.AsString(expr["operator"]) switch
        {
            "In" => SelectorOperator.In,
            "NotIn" => SelectorOperator.NotIn,
            "Exists" => SelectorOperator.Exists,
            "DoesNotExist" => SelectorOperator.DoesNotExist,
            var other => throw new SelectorException($"\"{other}\" is not a valid label selector operator"),
        };
        if (op is SelectorOperator.In or SelectorOperator.NotIn && values.Length == 0)
        {
            throw new SelectorException("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
        }

        if (op is SelectorOperator.Exists or SelectorOperator.DoesNotExist && values.Length > 0)
        {
            throw new SelectorException("values: Invalid value: []string{\"" + string.Join("\", \"", values) + "\"}: values set must be empty for exists and does not exist");
        }

        return Validated(key, op, values);
    }

    private List<LabelRequirement> ParseAll()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var (tok, lit) = Lookahead(values: true);
            switch (tok)
            {
                case T.Identifier or T.DoesNotExist:
                    requirements.Add(RequirementOrThrow());
                    var (next, nextLit) = Consume(values: true);
                    if (next == T.EndOfString)
                    {
                        return requirements;
                    }

                    if (next != T.Comma)
                    {
                        throw new SelectorException($"found '{nextLit}', expected: ',' or 'end of string'");
                    }

                    var (after, afterLit) = Lookahead(values: true);
                    if (after is not (T.Identifier or T.DoesNotExist))
                    {
                        throw new SelectorException($"found '{afterLit}', expected: identifier after ','");
                    }

                    break;
                case T.EndOfString:
                    return requirements;
                default:
                    throw new SelectorException($"found '{lit}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement RequirementOrThrow()
    {
        try
        {
            return ParseRequirement();
        }
        catch (SelectorException e)
        {
            throw new SelectorException("unable to parse requirement: " + e.Message);
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var (key, op) = ParseKeyAndInferOperator();
        if (op is SelectorOperator.Exists or SelectorOperator.DoesNotExist)
        {
            return Validated(key, op.Value, []);
        }

        var (tok, lit) = Consume(values: false);
        var binary = tok switch
        {
            T.In => SelectorOperator.In,
            T.NotIn => SelectorOperator.NotIn,
            T.Equals => SelectorOperator.Equals,
            T.DoubleEquals => SelectorOperator.DoubleEquals,
            T.NotEquals => SelectorOperator.NotEquals,
            T.GreaterThan => SelectorOperator.GreaterThan,
            T.LessThan => SelectorOperator.LessThan,
            _ => throw new SelectorException($"found '{lit}', expected: in, notin, =, ==, !=, gt, lt"),
        };
        var values = binary is SelectorOperator.In or SelectorOperator.NotIn ? ParseValues() : ParseExactValue();
        return Validated(key, binary, values);
    }

    private (string Key, SelectorOperator? Op) ParseKeyAndInferOperator()
    {
        SelectorOperator? op = null;
        var (tok, lit) = Consume(values: true);
        if (tok == T.DoesNotExist)
        {
            op = SelectorOperator.DoesNotExist;
            (tok, lit) = Consume(values: true);
        }

        if (tok != T.Identifier)
        {
            throw new SelectorException($"found '{lit}', expected: identifier");
        }

        var (next, _) = Lookahead(values: true);
        if (op is null && next is T.EndOfString or T.Comma)
        {
            op = SelectorOperator.Exists;
        }

        return (lit, op);
    }

    private string[] ParseValues()
    {
        var (tok, lit) = Consume(values: true);
        if (tok != T.OpenPar)
        {
            throw new SelectorException($"found '{lit}' expected: '('");
        }

        (tok, lit) = Lookahead(values: true);
        switch (tok)
        {
            case T.Identifier or T.Comma:
                var set = ParseIdentifierList();
                if (Consume(values: true).Token != T.ClosedPar)
                {
                    throw new SelectorException($"found '{lit}', expected: ')'");
                }

                return set;
            case T.ClosedPar:
                Consume(values: true);
                return [""];
            default:
                throw new SelectorException($"found '{lit}', expected: ',', ')' or identifier");
        }
    }

    private string[] ParseIdentifierList()
    {
        var set = new SortedSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var (tok, lit) = Consume(values: true);
            if (tok == T.Identifier)
            {
                set.Add(lit);
                var (next, nextLit) = Lookahead(values: true);
                if (next == T.Comma)
                {
                    continue;
                }

                return next == T.ClosedPar ? [.. set] : throw new SelectorException($"found '{nextLit}', expected: ',' or ')'");
            }

            if (tok != T.Comma)
            {
                throw new SelectorException($"found '{lit}', expected: ',', or identifier");
            }

            // "(," ",)" and ",," record an empty value, as the Go parser does.
            if (set.Count == 0)
            {
                set.Add("");
            }

            var following = Lookahead(values: true).Token;
            if (following == T.ClosedPar)
            {
                set.Add("");
                return [.. set];
            }

            if (following == T.Comma)
            {
                Consume(values: true);
                set.Add("");
            }
        }
    }

    private string[] ParseExactValue()
    {
        var (tok, _) = Lookahead(values: true);
        if (tok is T.EndOfString or T.Comma)
        {
            return [""];
        }

        var (t, lit) = Consume(values: true);
        return t == T.Identifier ? [lit] : throw new SelectorException($"found '{lit}', expected: identifier");
    }

    // In a value position "in" and "notin" are plain identifiers.
    private (T Token, string Literal) Lookahead(bool values) => Contextualize(items[Math.Min(position, items.Count - 1)], values);

    private (T Token, string Literal) Consume(bool values) => Contextualize(items[Math.Min(position++, items.Count - 1)], values);

    private static (T, string) Contextualize((T Token, string Literal) item, bool values) =>
        values && item.Token is T.In or T.NotIn ? (T.Identifier, item.Literal) : item;

    private static LabelRequirement Validated(string key, SelectorOperator op, string[] values)
    {
        LabelValidation.ValidateKey(key);
        if (op is SelectorOperator.GreaterThan or SelectorOperator.LessThan)
        {
            if (values.Length != 1)
            {
                throw new SelectorException($"values: Invalid value: {values.Length}: for 'Gt', 'Lt' operators, exactly one value is required");
            }

            if (!long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw new SelectorException($"values[0]: Invalid value: \"{values[0]}\": for 'Gt', 'Lt' operators, the value must be an integer");
            }

            return new LabelRequirement(key, op, values);
        }

        foreach (var (value, i) in values.Select((v, i) => (v, i)))
        {
            LabelValidation.ValidateValue(value, i);
        }

        return new LabelRequirement(key, op, values);
    }
}
