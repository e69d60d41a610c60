namespace HipaaMongo.ApiMachinery.Protobuf;

/// <summary>How a field's bytes become JSON (the Go type behind the generated.proto field).</summary>
public enum ProtoType
{
    String,
    Int,
    Bool,
    /// <summary>[]byte: base64 in JSON.</summary>
    Bytes,
    Message,
    /// <summary>metav1.Time {seconds=1, nanos=2}: RFC 3339 with whole seconds.</summary>
    Time,
    /// <summary>map&lt;string,string&gt; (entries: key=1, value=2).</summary>
    StringMap,
    /// <summary>map&lt;string,bytes&gt;: values base64 in JSON.</summary>
    BytesMap,
    /// <summary>intstr.IntOrString {type=1, intVal=2, strVal=3}: a JSON number or string.</summary>
    IntOrString,
}

/// <summary>
/// One field of a generated.proto message. <paramref name="Presence"/> marks Go pointer fields (`*bool`, `*int64`,
/// `*Struct`): gogo marshals them only when set, so a zero value on the wire is kept. Other fields are always
/// marshalled, and their zero values are dropped, as Go's `omitempty` JSON would drop them.
/// </summary>
public sealed record ProtoField(int Number, string Name, ProtoType Type, string? Message = null, bool Repeated = false, bool Presence = false);

/// <summary>A message: its fields by number.</summary>
public sealed class ProtoMessage
{
    readonly Dictionary<int, ProtoField> fields;

    public ProtoMessage(string name, params ProtoField[] fields)
    {
        Name = name;
        this.fields = fields.ToDictionary(f => f.Number);
    }

    public string Name { get; }

    public ProtoField? Field(int number) => fields.GetValueOrDefault(number);
}
