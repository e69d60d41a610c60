using System.Text;

namespace HipaaMongo.Operator.Baseline.Yaml;

/// <summary>Writes a <see cref="ConfTree"/> as block-style YAML with two-space indentation.</summary>
public static class ConfTreeWriter
{
    public static string Write(ConfTree tree)
    {
        var sb = new StringBuilder();
        Write(tree, 0, sb);
        return sb.ToString();
    }

    private static void Write(ConfTree tree, int depth, StringBuilder sb)
    {
        foreach (var (key, value) in tree.Entries)
        {
            sb.Append(' ', depth * 2).Append(YamlScalar.FormatString(key)).Append(':');
            if (value is ConfTree child)
            {
                sb.Append('\n');
                Write(child, depth + 1, sb);
            }
            else
            {
                sb.Append(' ').Append(YamlScalar.Format(value)).Append('\n');
            }
        }
    }
}
