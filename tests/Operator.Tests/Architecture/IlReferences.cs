using System.Reflection;
using System.Reflection.Emit;

namespace HipaaMongo.Operator.Tests.Architecture;

/// <summary>
/// What a compiled type refers to: its fields, signatures and every method, field and type token in its methods'
/// IL (System.Reflection.Emit's operand table). Read from the assembly, so a reference written inside a method body
/// counts as surely as one in a signature.
/// </summary>
internal static class IlReferences
{
    internal const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<ushort, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => (ushort)o.Value);

    /// <summary>The methods and constructors a type declares itself.</summary>
    public static IEnumerable<MethodBase> Methods(Type type) =>
        type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));

    /// <summary>Every type a type names: base, interfaces, fields, signatures, and the owners of the members its IL uses.</summary>
    public static IEnumerable<Type> Types(Type type)
    {
        var named = new List<Type?> { type.BaseType };
        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        foreach (var method in Methods(type))
        {
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                named.Add(info.ReturnType);
            }
            named.AddRange(Members(method).Select(m => m as Type ?? m.DeclaringType));
        }
        return named.OfType<Type>().SelectMany(Unwrap).Distinct();
    }

    /// <summary>Every method, field and type token in the method's IL.</summary>
    public static IEnumerable<MemberInfo> Members(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray() ?? [];
        var typeArgs = method.DeclaringType?.IsGenericType == true ? method.DeclaringType.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var i = 0;
        while (i < il.Length)
        {
            ushort value = il[i++];
            if (value == 0xFE)
            {
                value = (ushort)(0xFE00 | il[i++]);
            }
            var op = OpCodesByValue[value];
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok or OperandType.InlineType
                && Resolve(method.Module, BitConverter.ToInt32(il, i), typeArgs, methodArgs) is { } member)
            {
                yield return member;
            }
            i += OperandSize(op, il, i);
        }
    }

    private static MemberInfo? Resolve(Module module, int token, Type[]? typeArgs, Type[]? methodArgs)
    {
        try
        {
            return module.ResolveMember(token, typeArgs, methodArgs);
        }
        catch (ArgumentException)
        {
            return null; // a token of a generic context we cannot supply: not a reference these checks look for
        }
    }

    // List<Foo>, Foo[], ref Foo and Task<Foo> name Foo as well.
    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            return Unwrap(element);
        }
        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            return type.GetGenericArguments().SelectMany(Unwrap).Prepend(type.GetGenericTypeDefinition());
        }
        return [type];
    }

    private static int OperandSize(OpCode op, byte[] il, int at) => op.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
