using System.Text;
using System.Xml;

namespace HipaaMongo.LocalCluster.Api;

/// <summary>
/// Descriptions for the KubernetesClient model types and properties, from the XML documentation file the package
/// ships (KubernetesClient.xml, generated from the Kubernetes OpenAPI descriptions). Read once, on first use; when
/// the file is missing the schemas simply carry no descriptions.
/// </summary>
public static class ModelDocs
{
    static readonly Lazy<Dictionary<string, string>> Docs = new(Load);

    /// <summary>The summary of a member id such as `T:k8s.Models.V1Container` or `P:k8s.Models.V1Container.Image`.</summary>
    public static string? For(string memberId) => Docs.Value.GetValueOrDefault(memberId);

    static IEnumerable<string> Candidates()
    {
        var assembly = typeof(k8s.Models.V1Pod).Assembly;
        yield return Path.ChangeExtension(assembly.Location, ".xml");
        yield return Path.Combine(AppContext.BaseDirectory, "KubernetesClient.xml");
        // Not copied to the output: the NuGet cache that the build restored the package from.
        var version = assembly.GetName().Version;
        var home = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var package = Path.Combine(home, "kubernetesclient");
        if (version is not null && Directory.Exists(package))
        {
            foreach (var dir in Directory.GetDirectories(package, $"{version.Major}.{version.Minor}.*").Order(StringComparer.Ordinal).Reverse())
            {
                yield return Path.Combine(dir, "lib", "net10.0", "KubernetesClient.xml");
            }
        }
    }

    static Dictionary<string, string> Load()
    {
        var path = Candidates().FirstOrDefault(File.Exists);
        var docs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (path is null)
        {
            return docs;
        }
        using var reader = XmlReader.Create(path, new XmlReaderSettings { IgnoreComments = true, IgnoreWhitespace = false });
        while (reader.ReadToFollowing("member"))
        {
            var name = reader.GetAttribute("name");
            if (name is null || !(name.StartsWith("T:k8s.Models.", StringComparison.Ordinal) || name.StartsWith("P:k8s.Models.", StringComparison.Ordinal)))
            {
                continue;
            }
            using var member = reader.ReadSubtree();
            if (member.ReadToFollowing("summary"))
            {
                docs[name] = Normalize(member.ReadElementContentAsString());
            }
        }
        return docs;
    }

    /// <summary>Re-joins the generator's wrapped lines; blank lines and list items keep their breaks.</summary>
    static string Normalize(string summary)
    {
        var lines = summary.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => l.Trim()).ToList();
        var text = new StringBuilder();
        foreach (var line in lines.SkipWhile(l => l.Length == 0))
        {
            if (line.Length == 0)
            {
                text.Append("\n\n");
            }
            else if (text.Length == 0 || text[^1] == '\n')
            {
                text.Append(line);
            }
            else
            {
                text.Append(line.StartsWith("- ", StringComparison.Ordinal) ? "\n" : " ").Append(line);
            }
        }
        return text.ToString().Trim();
    }
}
